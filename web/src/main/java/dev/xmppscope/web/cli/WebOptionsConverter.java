package dev.xmppscope.web.cli;

import dev.xmppscope.web.WebOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --web HOST:PORT} → {@link WebOptions} (a non-loopback host gets an access token). */
final class WebOptionsConverter implements ITypeConverter<WebOptions> {
    @Override
    public WebOptions convert(String value) {
        try {
            return WebOptions.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
