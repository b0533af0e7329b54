package dev.xmppscope.web.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the 'demo' command lands; fails loudly rather than pretending. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'demo' is not implemented yet");
    }
}
