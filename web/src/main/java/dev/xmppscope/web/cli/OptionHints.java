package dev.xmppscope.web.cli;

import dev.xmppscope.web.WebOptions;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * After the answer to an option xmppscope does not know, one line that names the option
 * meant, for the names other tools use ({@code --port} where xmppscope says {@code --web}).
 * Picocli suggests only options spelled alike, and {@code --port} is spelled like none of them.
 */
final class OptionHints {
    /** Names other tools give an option, by the xmppscope option meant, and what to say. */
    private static final Map<String, String> MEANT = Map.of(
            "--port", "--web", "--http", "--web", "--http-port", "--web", "--bind", "--web", "--host", "--web",
            "--listen", "--route", "--upstream", "--route", "--target", "--route", "--forward", "--route");
    private static final Map<String, String> SAY = Map.of(
            "--web", "the web UI listens where --web HOST:PORT says (default " + WebOptions.DEFAULT + "), e.g. --web 127.0.0.1:9090",
            "--route", "each link is --route LISTEN=UPSTREAM, e.g. --route 127.0.0.1:5222=127.0.0.2:5222 (once per link)");

    private OptionHints() {
    }

    /** What to say after the error, if an unknown option is one of those names and the command has the option meant. */
    static Optional<String> hint(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched)) {
            return Optional.empty();
        }
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        return unmatched.getUnmatched().stream()
                .map(arg -> MEANT.get(arg.split("=", 2)[0]))
                .filter(meant -> meant != null && spec.findOption(meant) != null)
                .findFirst().map(SAY::get);
    }
}
