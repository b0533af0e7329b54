package dev.xmppscope.web.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code xmppscope} command: one subcommand per job, each with a teaching {@code --help}. */
@Command(name = "xmppscope",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "See XMPP: record the streams between clients and servers (c2s) and between servers (s2s), and watch them as a live federation graph, a stanza timeline and a negotiation view.",
                ""
        },
        subcommands = {
                ProxyCommand.class,
                OpenCommand.class,
                ShowCommand.class,
                DemoCommand.class,
                ExportCommand.class,
                ImportCommand.class,
                ReplayCommand.class,
                CaCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {
                "",
                "Start here:",
                "  xmppscope demo           a recorded federation, replayed live at",
                "                           http://127.0.0.1:8080",
                "  xmppscope proxy --route 127.0.0.1:5222=127.0.0.2:5222 --tls intercept",
                "                           put xmppscope between a client and a server",
                "  xmppscope show CAPTURE   what a capture holds, printed in the terminal",
                "  xmppscope help COMMAND   the full story of one command"
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        // options are declared in the order a newcomer needs them (proxy: --route first), not alphabetically
        cl.getSubcommands().values().forEach(c -> c.getCommandSpec().usageMessage().sortSynopsis(false));
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
