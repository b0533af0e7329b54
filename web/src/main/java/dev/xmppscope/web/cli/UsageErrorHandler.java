package dev.xmppscope.web.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * A command line xmppscope cannot take: what is wrong first, then picocli's suggestions or the
 * option meant ({@link OptionHints}), the command's synopsis and where its help is; exit code 2.
 * Picocli's own answer printed the command's whole help after the error, 60 lines and more for
 * {@code proxy}, which scrolled the one line that mattered off the screen.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getColorScheme().errorText(ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        OptionHints.hint(ex).ifPresent(h -> err.println("Hint: " + h));
        CommandLine.Help help = cl.getHelp();
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        String name = cl.getCommandSpec().qualifiedName();
        err.println(cl.getParent() == null ? "See '" + name + " --help'." : "See '" + name + " --help' for what each option does.");
        err.flush();
        return cl.getExitCodeExceptionMapper() != null ? cl.getExitCodeExceptionMapper().getExitCode(ex)
                : cl.getCommandSpec().exitCodeOnInvalidInput();
    }
}
