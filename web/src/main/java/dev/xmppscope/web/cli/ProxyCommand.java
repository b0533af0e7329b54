package dev.xmppscope.web.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the 'proxy' command lands; fails loudly rather than pretending. */
@Command(name = "proxy", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class ProxyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'proxy' is not implemented yet");
    }
}
