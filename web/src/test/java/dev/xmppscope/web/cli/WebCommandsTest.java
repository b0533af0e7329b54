package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.testing.ReadOnlyFiles;
import dev.xmppscope.testing.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The proxy, open and ca commands as a user types them (the serving itself: RealFederationWebTest). */
class WebCommandsTest {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void proxyHelpTeachesWithExamples() {
        Run r = run("proxy", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--route") && r.out().contains("Examples:") && r.out().contains("xmppscope ca --export"),
                r.out());
        assertTrue(r.out().startsWith("Usage: xmppscope proxy [-hV] [--route="), "the one option everybody needs comes first: " + r.out());
    }

    /**
     * Picocli wraps each description element as a paragraph at 80 columns: text wrapped by hand
     * at another width came out broken mid-sentence, and the command list showed half sentences.
     */
    @Test
    void everyHelpPageFitsEightyColumnsAndEachCommandSumsItselfUpInOneSentence() {
        CommandLine main = Main.commandLine();
        for (CommandLine sub : main.getSubcommands().values()) {
            String name = sub.getCommandName();
            String[] description = sub.getCommandSpec().usageMessage().description();
            if (name.equals("help")) {
                continue;
            }
            assertTrue(description.length > 0 && description[0].matches(".*[.:]"), name + ": " + description[0]);
            for (String element : description) {
                assertTrue(element.length() <= 80 || element.matches(".*[.:)]"),
                        name + ": a long description element is a whole paragraph: " + element);
            }
            Run r = run(name, "--help");
            assertEquals(0, r.exit(), name);
            String[] lines = r.out().split("\\R");
            for (String line : lines) {
                assertTrue(line.length() <= 80, name + " --help has a line over 80 columns: " + line);
            }
            for (int i = 0; i + 1 < lines.length; i++) {
                // picocli may wrap inside a name or an address: "c." / "example", "127.0.0.2:" / "5222",
                // "--web=HOST:" / "PORT]", an option's name / its "[=VALUE]"; a line it wrapped is nearly
                // full, unlike a heading
                String line = lines[i];
                String next = lines[i + 1];
                assertFalse(line.length() > 60 && (line.matches(".*\\w\\.") && next.matches("\\s*[a-z0-9].*")
                                || line.matches(".*\\w:") && next.matches("\\s*([0-9]|[A-Z]+\\]).*")
                                || next.matches("\\s*\\[?=.*")),
                        name + " --help breaks a name or address across lines: " + line + " / " + next);
            }
        }
        for (String line : run("--help").out().split("\\R")) {
            assertTrue(line.length() <= 80, "xmppscope --help has a line over 80 columns: " + line);
        }
    }

    /** A help page teaches by example: each command's ends with runnable lines of that command. */
    @Test
    void everyCommandsHelpShowsExamplesOfIt() {
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            String name = sub.getCommandName();
            if (name.equals("help")) {
                continue;
            }
            String out = run(name, "--help").out();
            assertTrue(out.contains("\nExamples:\n"), name + " --help has no examples: " + out);
            assertTrue(out.substring(out.indexOf("Examples:")).lines().anyMatch(l -> l.startsWith("  xmppscope " + name + " ")),
                    name + " --help's examples do not run " + name + ": " + out);
        }
    }

    @Test
    void proxyWithoutARouteSaysWhatToDo() {
        Run r = run("proxy", "--web", "127.0.0.1:0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("give at least one --route LISTEN=UPSTREAM"), r.err());
    }

    @Test
    void aSwitchSetInTheConfigFileCanBeTurnedOffOnTheCommandLine() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("secrets.properties"), "keep-secrets = true\ninsecure-upstream = true\n");
        ProxyCommand cmd = new ProxyCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.parseArgs("--config", cfg.toString(), "--keep-secrets=false");
        cmd.spec = cl.getCommandSpec();
        ProxyCommand merged = cmd.withConfigApplied();
        assertFalse(merged.keepSecrets, "the command line wins");
        assertTrue(merged.insecureUpstream, "the file's setting stays");
    }

    @Test
    void aConfigFileGivesTheSameSettingsAndTheCommandLineWins() throws Exception {
        Path cfg = tmp.resolve("lab.properties");
        Files.writeString(cfg, """
                route.1 = 127.0.0.1:15222=127.0.0.2:5222
                route.2 = 127.0.0.1:15269=127.0.0.2:5269,tls=passthrough
                tls = intercept
                web = 127.0.0.1:9999
                db = /tmp/from-config
                io-threads = 1
                """);
        ProxyCommand cmd = new ProxyCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.parseArgs("--config", cfg.toString(), "--db", tmp.resolve("cli").toString(), "--keep-secrets");
        cmd.spec = cl.getCommandSpec();
        ProxyCommand merged = cmd.withConfigApplied();
        assertEquals(List.of("127.0.0.1:15222=127.0.0.2:5222", "127.0.0.1:15269=127.0.0.2:5269,tls=passthrough"), merged.routes);
        assertEquals("intercept", merged.tls);
        assertEquals(9999, merged.web.port());
        assertEquals(tmp.resolve("cli"), merged.db, "the command line wins over the file");
        assertTrue(merged.keepSecrets);
        assertEquals(1, merged.ioThreads);
        assertNull(merged.config);
    }

    /** An option named as other tools name it gets picocli's answer, then the option meant. */
    @Test
    void anOptionNamedAsOtherToolsNameItIsAnsweredWithTheOneMeant() {
        Run demo = run("demo", "--port", "9090");
        assertEquals(2, demo.exit());
        assertTrue(demo.err().startsWith("Unknown options: '--port', '9090'\n"
                + "Hint: the web UI listens where --web HOST:PORT says (default 127.0.0.1:8080), e.g. --web 127.0.0.1:9090\n"),
                demo.err());
        Run proxy = run("proxy", "--listen=127.0.0.1:5222", "--upstream", "127.0.0.2:5222");
        assertTrue(proxy.err().contains("Hint: each link is --route LISTEN=UPSTREAM"), proxy.err());
        Run show = run("show", "--port", "1");
        assertFalse(show.err().contains("Hint:"), "show has no web UI: " + show.err());
    }

    @Test
    void anUnknownConfigKeyIsNamed() throws Exception {
        Path cfg = tmp.resolve("bad.properties");
        Files.writeString(cfg, "rout = 127.0.0.1:1=127.0.0.2:2\n");
        Run r = run("proxy", "--config", cfg.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("config file " + cfg + ": unknown setting 'rout' (known: route, tls, "), r.err());
    }

    /** Upstream certificate options without a route that intercepts TLS are said to do nothing: --tls intercept was forgotten. */
    @Test
    void upstreamCertificateOptionsWithoutInterceptionAreSaidToDoNothing() {
        StringWriter err = new StringWriter();
        ProxyCommand command = new ProxyCommand();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        cl.parseArgs("--route", "127.0.0.1:0=127.0.0.2:5222", "--insecure-upstream", "--analysis", "in-process",
                "--db", tmp.resolve("passthrough").toString(), "--web", "127.0.0.1:0");
        command.start().closeAll();
        assertEquals("xmppscope: --insecure-upstream has no effect: no route intercepts TLS (--tls intercept, or ',tls=intercept'"
                + " on a route)\n", err.toString().replace(System.lineSeparator(), "\n"));
    }

    /** The demo's options are checked as the other commands' are: a usage error, said first, before anything starts. */
    @Test
    void aDemoOptionOutOfRangeIsAUsageError() {
        Run speed = run("demo", "--speed", "1000", "--web", "127.0.0.1:0");
        assertEquals(2, speed.exit(), speed.err());
        assertTrue(speed.err().startsWith("--speed must be between 0.1 and 100, not 1000.0\nUsage: xmppscope demo "), speed.err());
        Run sample = run("demo", "--sample", "nope", "--web", "127.0.0.1:0");
        assertEquals(2, sample.exit(), sample.err());
        assertTrue(sample.err().startsWith("--sample must be federation, negotiation or failures, not 'nope'\n"), sample.err());
        Run web = run("demo", "--web", "bogus");
        assertEquals(2, web.exit(), web.err());
        assertTrue(web.err().startsWith("Invalid value for option '--web': 'bogus' is not HOST:PORT: port 'bogus' is not a number\n"),
                web.err());
        assertFalse(web.err().contains("For input string"), web.err());
    }

    /** A config file naming a config file (itself, copied from a command line) was read again without end. */
    @Test
    void aConfigFileCannotNameAConfigFile() throws Exception {
        Path cfg = tmp.resolve("lab.properties");
        Files.writeString(cfg, "route.1 = 127.0.0.1:0=127.0.0.2:5222\nconfig = " + cfg + "\n");
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run("proxy", "--config", cfg.toString(),
                "--db", tmp.resolve("never").toString(), "--web", "127.0.0.1:0"));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("config file " + cfg + ": unknown setting 'config' (known: route, tls, "), r.err());
        assertFalse(r.err().substring(r.err().indexOf("(known:")).split("\\)")[0].contains("config"), r.err());
        assertTrue(Files.notExists(tmp.resolve("never.mv.db")), "no capture was created");
    }

    /** A bad value in a config file names the file it is in, and a config file that is not there says so. */
    @Test
    void aMistakeInAConfigFileNamesTheFile() throws Exception {
        Path cfg = tmp.resolve("lab.properties");
        Files.writeString(cfg, "route.1 = 127.0.0.1:0=127.0.0.2:5222\nkeep-secrets = yes\n");
        Run r = run("proxy", "--config", cfg.toString(), "--web", "127.0.0.1:0");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("config file " + cfg + ": Invalid value for option '--keep-secrets': 'yes' is not a boolean\n"),
                r.err());
        Files.writeString(cfg, "route.1 = 127.0.0.1:5222\n");
        Run route = run("proxy", "--config", cfg.toString(), "--web", "127.0.0.1:0");
        assertEquals(2, route.exit(), route.err());
        assertTrue(route.err().startsWith("route '127.0.0.1:5222' must look like LISTEN=UPSTREAM, e.g. 127.0.0.1:5222=127.0.0.2:5222\n"
                + "Usage: xmppscope proxy [-hV] [--route=LISTEN=UPSTREAM[,tls=MODE]]..."), route.err());
        Path missing = tmp.resolve("missing.properties");
        Run none = run("proxy", "--config", missing.toString());
        assertEquals(2, none.exit(), none.err());
        assertTrue(none.err().startsWith("there is no config file " + missing + "\n"), none.err());
    }

    /**
     * A command line xmppscope cannot take is said in its first line, followed by the synopsis and
     * where the help is: not by the whole help (70 lines for proxy), which scrolled the error off
     * the screen. A malformed route is such a mistake, exit code 2 as for any other.
     */
    @Test
    void aUsageErrorIsSaidFirstAndBriefly() {
        Run route = run("proxy", "--route", "127.0.0.1:5222", "--web", "127.0.0.1:0");
        assertEquals(2, route.exit(), route.err());
        List<String> lines = route.err().lines().toList();
        assertEquals("route '127.0.0.1:5222' must look like LISTEN=UPSTREAM, e.g. 127.0.0.1:5222=127.0.0.2:5222", lines.get(0));
        assertTrue(lines.get(1).startsWith("Usage: xmppscope proxy [-hV] [--route=LISTEN=UPSTREAM[,tls=MODE]]..."), route.err());
        assertEquals("See 'xmppscope proxy --help' for what each option does.", lines.get(lines.size() - 1));
        assertTrue(lines.size() <= 8, route.err());
        Run mode = run("proxy", "--route", "127.0.0.1:0=127.0.0.2:5222", "--tls", "intercpt");
        assertEquals(2, mode.exit(), mode.err());
        assertTrue(mode.err().startsWith("--tls must be passthrough or intercept, not 'intercpt'\n"), mode.err());
        Run missing = run("export", "--db", "x");
        assertEquals(2, missing.exit(), missing.err());
        assertTrue(missing.err().startsWith("Missing required option: '--out=FILE'\nUsage: xmppscope export "), missing.err());
        assertTrue(missing.err().lines().count() <= 5, missing.err());
    }

    @Test
    void anUpstreamCaFileThatHoldsNoCertificateIsNamedBeforeAnythingIsRecorded() throws Exception {
        Path notPem = tmp.resolve("lab-ca.pem");
        Files.writeString(notPem, "not a certificate\n");
        Path db = tmp.resolve("never");
        Run r = run("proxy", "--route", "127.0.0.1:0=127.0.0.2:5222", "--tls", "intercept", "--upstream-ca", notPem.toString(),
                "--db", db.toString(), "--web", "127.0.0.1:0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--upstream-ca " + notPem + ": cannot read PEM certificates"), r.err());
        assertTrue(Files.notExists(tmp.resolve("never.mv.db")), "no capture was created");
        Run both = run("proxy", "--route", "127.0.0.1:0=127.0.0.2:5222", "--insecure-upstream", "--upstream-ca",
                notPem.toString(), "--db", db.toString(), "--web", "127.0.0.1:0");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("give one"), both.err());

        // the slips a user makes: a path mistyped, the server's key for its certificate
        Path typo = tmp.resolve("lab-ca.pme");
        Run missing = run("proxy", "--route", "127.0.0.1:0=127.0.0.2:5222", "--tls", "intercept", "--upstream-ca", typo.toString(),
                "--db", db.toString(), "--web", "127.0.0.1:0");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("--upstream-ca " + typo + ": no such file\n"), missing.err());
        Path key = tmp.resolve("a.example.key");
        Files.writeString(key, TestCertificates.pkcs8Pem(TestCertificates.selfSigned("a.example").key()));
        Run aKey = run("proxy", "--route", "127.0.0.1:0=127.0.0.2:5222", "--tls", "intercept", "--upstream-ca", key.toString(),
                "--db", db.toString(), "--web", "127.0.0.1:0");
        assertEquals(2, aKey.exit());
        assertTrue(aKey.err().startsWith("--upstream-ca " + key + ": it holds a private key, not a certificate; give the"
                + " server's certificate, or the CA that signed it\n"), aKey.err());
        assertTrue(Files.notExists(tmp.resolve("never.mv.db")), "no capture was created");
    }

    /** The web UI's port taken: one line that says so and what to do, not Jetty's causes repeating it. */
    @Test
    void aWebPortInUseIsOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String web = "127.0.0.1:" + taken.getLocalPort();
            Run r = run("demo", "--web", web);
            assertEquals(1, r.exit(), r.err());
            assertEquals("xmppscope: the web UI cannot listen on " + web + " (Address already in use); choose another with --web HOST:PORT",
                    r.err().strip());
        }
    }

    @Test
    void aPortInUseIsNamedAndLeavesNoEmptyCaptureBehind() throws Exception {
        Path db = tmp.resolve("never");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            Run r = run("proxy", "--route", listen + "=127.0.0.2:5222", "--analysis", "in-process", "--db", db.toString(),
                    "--web", "127.0.0.1:0");
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("cannot listen on " + listen), r.err());
            assertFalse(r.out().contains("stopped:"), "it never ran: " + r.out());
        }
        assertTrue(CaptureStore.files(db).stream().noneMatch(Files::exists), "no empty capture left: " + CaptureStore.files(db));
    }

    @Test
    void aNegativeThreadCountIsNamedBeforeAnythingIsRecorded() {
        Path db = tmp.resolve("never");
        Run r = run("proxy", "--route", "127.0.0.1:0=127.0.0.2:5222", "--io-threads", "-2", "--db", db.toString(),
                "--web", "127.0.0.1:0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--io-threads must be 1 or more (or 0: one per core), not -2"), r.err());
        assertTrue(Files.notExists(tmp.resolve("never.mv.db")), "no capture was created");
    }

    @Test
    void proxyRefusesToRecordIntoACaptureItsUserMayNotWrite() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Path db = dir.resolve("theirs");
        CaptureStore.open(db).close();
        try (ReadOnlyFiles readOnly = new ReadOnlyFiles().lock(CaptureStore.dataFile(db), CaptureStore.payloadFile(db), dir)) {
            Run r = run("proxy", "--route", "127.0.0.1:0=127.0.0.2:5222", "--db", db.toString(), "--web", "127.0.0.1:0");
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("cannot record into " + CaptureStore.dataFile(db) + ": it is read-only for you;"
                    + " give --db a capture of yours or a new PATH"), r.err());
            assertFalse(r.out().contains("web UI"), "nothing was started: " + r.out());
        }
    }

    @Test
    void openNamesWhatIsMissing() {
        Run r = run("open", tmp.resolve("nothing-here").toString(), "--web", "127.0.0.1:0");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no capture at") && r.err().contains("xmppscope proxy --db PATH"), r.err());
    }

    @Test
    void caExportPrintsThePem() {
        Run r = run("ca", "--export", "--dir", tmp.resolve("ca").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("-----BEGIN CERTIFICATE-----"), r.out());
        assertTrue(r.err().contains(tmp.resolve("ca").toString()), r.err());
    }

    /** {@code ca --dir DIR} names the command that prints that CA: plain {@code ca --export} prints another one. */
    @Test
    void caSaysHowToPrintTheCaItShows() {
        Run r = run("ca", "--dir", tmp.resolve("lab-ca").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("CA certificate: " + tmp.resolve("lab-ca").resolve("ca.pem") + "\n"), r.out());
        assertTrue(r.out().endsWith("Print it with 'xmppscope ca --export --dir " + tmp.resolve("lab-ca") + "'.\n"), r.out());
    }
}
