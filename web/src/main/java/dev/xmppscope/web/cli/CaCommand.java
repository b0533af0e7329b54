package dev.xmppscope.web.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the 'ca' command lands; fails loudly rather than pretending. */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class CaCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'ca' is not implemented yet");
    }
}
