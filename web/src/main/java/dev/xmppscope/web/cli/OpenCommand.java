package dev.xmppscope.web.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the 'open' command lands; fails loudly rather than pretending. */
@Command(name = "open", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class OpenCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'open' is not implemented yet");
    }
}
