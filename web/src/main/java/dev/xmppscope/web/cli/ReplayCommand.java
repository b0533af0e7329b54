package dev.xmppscope.web.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the 'replay' command lands; fails loudly rather than pretending. */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class ReplayCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'replay' is not implemented yet");
    }
}
