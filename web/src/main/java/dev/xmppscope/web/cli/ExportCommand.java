package dev.xmppscope.web.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the 'export' command lands; fails loudly rather than pretending. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class ExportCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'export' is not implemented yet");
    }
}
