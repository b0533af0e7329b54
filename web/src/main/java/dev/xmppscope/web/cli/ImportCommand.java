package dev.xmppscope.web.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the 'import' command lands; fails loudly rather than pretending. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class ImportCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'import' is not implemented yet");
    }
}
