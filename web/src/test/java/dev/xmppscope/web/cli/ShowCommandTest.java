package dev.xmppscope.web.cli;

import static dev.xmppscope.web.cli.WebCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import dev.xmppscope.web.cli.WebCommandsTest.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code xmppscope show} on the bundled samples, which real Prosody servers and Smack clients
 * recorded: what a developer reads in a terminal about a failed login, a stanza's route, and what a
 * script gets as JSON.
 */
class ShowCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A copy of a bundled sample in this test's directory (once per test). */
    private Path sample(String name) throws IOException {
        return sample(tmp, name);
    }

    /** A copy of the bundled sample {@code name} in {@code dir}. */
    static Path sample(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".xscap");
        try (InputStream in = ShowCommandTest.class.getResourceAsStream("/samples/" + name + ".xscap")) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void theConnectionsSayHowEachEndedAndWhatWentWrong() throws IOException {
        Path capture = sample("failures");
        Run r = run("show", capture.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("id\\s+kind\\s+tls\\s+client → upstream\\s+who\\s+opened\\s+lasted\\s+ended\\s+elements"),
                lines.get(0));
        int first = indexOf(lines, "^1\\s+c2s\\s+none\\s+127\\.0\\.0\\.1:\\d+ → 127\\.\\d+\\.\\d+\\.2:5222\\s+to a\\.example\\s+.*"
                + "CLIENT_CLOSED\\s+7$");
        assertEquals("    ✗ Authentication failed: not-authorized (wrong username or password, or no such account)",
                lines.get(first + 1));
        assertTrue(r.out().contains("alice@a.example/test"), "a bound client is named by its JID: " + r.out());
        int alice = indexOf(lines, "^4\\s+c2s\\s+none\\s+.*alice@a\\.example/test\\s+.*");
        assertEquals("    ! SASL PLAIN without TLS: the credentials crossed the network readable; 1 IQ request on this stream"
                + " was never answered", lines.get(alice + 1), "a password sent over plaintext, and her ping to mute, are flagged");
        // what it was doing went to stderr: stdout is the answer alone, for a pipe
        assertFalse(r.out().contains("importing") || r.out().contains("analyzing"), r.out());
        // named as given, not by the temporary database it is imported into
        assertTrue(r.err().contains("analyzing " + capture + " ..."), r.err());
    }

    /**
     * Stream management as a real Smack client and Prosody played it (the negotiation sample):
     * Smack closed its resumed stream having acknowledged 2 of the server's 3 stanzas, and the
     * connection list says so; its negotiation says what the resumption found handled.
     */
    @Test
    void stanzasStreamManagementNeverSawAcknowledgedAreSaid() throws IOException {
        Path capture = sample("negotiation");
        List<String> lines = run("show", capture.toString()).out().lines().toList();
        int resumed = indexOf(lines, "^2\\s+c2s\\s+.*SERVER_CLOSED\\s+31$");
        assertEquals("    ! The client never acknowledged the server's last 1 stanza (h=2 of 3)", lines.get(resumed + 1));
        assertTrue(lines.get(resumed - 1).matches("^1\\s+c2s\\s+.*CLIENT_CLOSED\\s+32$"), "nothing said of the first: " + lines);

        Run steps = run("show", capture.toString(), "--negotiation", "2");
        assertTrue(steps.out().contains("h=3, bound to alice@a.example/phone; all the 3 stanzas the client sent on connection 1:"
                + " none to send again"), steps.out());
        assertTrue(steps.out().contains("WARNING  The client never acknowledged the server's last 1 stanza (h=2 of 3)"), steps.out());
    }

    /** A bounce as a real Prosody sent it: its condition in plain words, and the server's own words in its summary. */
    @Test
    void aBouncesErrorIsExplained() throws IOException {
        Path capture = sample("failures");
        String ref = run("show", capture.toString(), "--kind", "message", "--type", "error").out().lines()
                .map(l -> l.split("\\s+")[1]).reduce((a, b) -> b).orElseThrow();
        Run r = run("show", capture.toString(), "--stanza", ref);
        assertTrue(r.out().contains("\nerror       remote-server-not-found: the recipient's server could not be found or reached"
                + " (DNS, or the server-to-server connection failed)\n"), r.out());
        assertTrue(r.out().contains("summary     message error remote-server-not-found: Server-to-server connection failed:"), r.out());
        assertTrue(r.out().matches("(?s).*\nbounce      bounces \\d+-s-\\d+\n.*"), "a bounce is no IQ's answer: " + r.out());
        JsonNode json = JSON.readTree(run("show", capture.toString(), "--stanza", ref, "--json").out());
        assertEquals("remote-server-not-found", json.get("error").asText());
        assertTrue(json.get("errorMeaning").asText().startsWith("the recipient's server could not be found"), json.toString());

        // a SASL failure's not-authorized is a wrong password, not the stanza error of the same name
        String failure = run("show", capture.toString(), "--kind", "sasl", "--type", "failure").out().lines()
                .map(l -> l.split("\\s+")[1]).findFirst().orElseThrow();
        JsonNode sasl = JSON.readTree(run("show", capture.toString(), "--stanza", failure, "--json").out());
        assertEquals("not-authorized", sasl.get("error").asText());
        assertEquals("wrong username or password, or no such account", sasl.get("errorMeaning").asText());
    }

    /** The federation as an educator reads it: each server with its clients and services, then the s2s streams. */
    @Test
    void theGraphPutsClientsAndServicesUnderTheirServer() throws IOException {
        Path federation = sample("federation");
        Run r = run("show", federation.toString(), "--graph");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        int b = indexOf(lines, "^b\\.example\\s+server$");
        int c = indexOf(lines, "^c\\.example\\s+server$");
        int bob = indexOf(lines, "^  bob@b\\.example/phone\\s+client\\s+c2s closed, \\d+ stanzas, .* \\(connection \\d+\\)$");
        int room = indexOf(lines, "^  conference\\.b\\.example\\s+component$");
        assertTrue(b < bob && bob < room && room < c, "bob and the room service sit under b.example: " + r.out());
        int s2s = lines.indexOf("streams between servers");
        int link = indexOf(lines, "^  conference\\.b\\.example → a\\.example\\s+established, \\d+ stanzas, .*");
        assertTrue(c < s2s && s2s < link, r.out());

        Run failures = run("show", sample("failures").toString(), "--graph");
        List<String> f = failures.out().lines().toList();
        // a.example's server refused nobody.example: no server of that name, the stream is under a.example
        assertTrue(f.stream().noneMatch(l -> l.startsWith("nobody.example")), failures.out());
        int refused = indexOf(f, "^    ✗ Server ends the stream with error host-unknown.*");
        assertTrue(f.get(refused - 1).matches("  unauthenticated client 127\\.0\\.0\\.1:\\d+\\s+client\\s+c2s error, .*"), f.get(refused - 1));
        assertTrue(indexOf(f, "^a\\.example\\s+server$") < refused && refused < indexOf(f, "^b\\.example\\s+server$"), failures.out());

        JsonNode json = JSON.readTree(run("show", federation.toString(), "--graph", "--json").out());
        assertTrue(json.get("nodes").size() > 8 && json.get("edges").size() > 10, "GET /api/graph's shape: " + json);
    }

    /**
     * What may have gone wrong on a stream is said under it, as the web UI says it for a stream
     * picked in the graph: two real Prosody servers through the proxy, and b.example killed
     * (SIGKILL) while linked, which closes TCP without closing its streams.
     */
    @Test
    void theGraphSaysWhatMayHaveGoneWrongOnEachStream() throws Exception {
        String body = "before b.example is killed " + UUID.randomUUID();
        Path proxyDir = tmp.resolve("proxy");
        try (Federation fed = Federation.aliceAndBob().configure((domain, cfg) -> cfg.s2sEncryption(false)).start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(proxyDir, fed.relayRoutes(), TlsMode.PASSTHROUGH, false, false)) {
            try (XmppClient bob = XmppClient.options("b.example", fed.relayC2s("b.example")).resource("phone")
                    .saslMechanism("PLAIN").login("bob", "bob-pw");
                 XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).resource("laptop")
                         .saslMechanism("PLAIN").login("alice", "alice-pw")) {
                alice.send("bob@b.example", body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
                Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(fed.server("b.example").pid())).inheritIO().start();
                assertEquals(0, kill.waitFor());
                proxy.awaitCapture(c -> c.connections.stream().filter(r -> r.opened().route().contains(":5269"))
                        .filter(r -> r.closed() != null).count() == 2, "both s2s streams closed");
            }
        }
        Run r = run("show", proxyDir.resolve("capture").toString(), "--graph");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        String killed = "    ! b.example closed TCP without closing its stream first (crashed, killed or cut off?)";
        assertTrue(IntStream.range(1, lines.size()).anyMatch(i -> lines.get(i).equals(killed)
                && lines.get(i - 1).matches("^  a\\.example → b\\.example\\s+closed, .*")), "under a.example's stream to b.example: "
                + r.out());
        int bob = indexOf(lines, "^  bob@b\\.example/phone\\s+client\\s+c2s closed, .*");
        assertEquals("    ! SASL PLAIN without TLS: the credentials crossed the network readable; Server closed TCP without closing"
                + " its stream first (crashed, killed or cut off?)", lines.get(bob + 1), r.out());
        int alice = indexOf(lines, "^  alice@a\\.example/laptop\\s+client\\s+c2s .*");
        assertEquals("    ! SASL PLAIN without TLS: the credentials crossed the network readable", lines.get(alice + 1), r.out());
    }

    @Test
    void aFailedLoginsNegotiationReadsStepByStep() throws IOException {
        Run r = run("show", sample("failures").toString(), "--negotiation", "1");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("connection 1 · c2s · to a.example · 127.0.0.1:"), lines.get(0));
        int offer = indexOf(lines, "^  \\+\\S+ ms\\s+←  Server offers STARTTLS, SASL \\(PLAIN, SCRAM-SHA-256, SCRAM-SHA-1\\)$");
        int auth = indexOf(lines, "^  \\+\\S+ ms\\s+→  WARNING  Client authenticates with PLAIN$"); // over plaintext
        int failed = indexOf(lines, "^  \\+\\S+ ms\\s+←  FAILED  Authentication failed: not-authorized .*");
        assertTrue(offer < auth && auth < failed, r.out());
    }

    @Test
    void aMessagesRouteAcrossTheFederationHopByHop() throws IOException {
        Path capture = sample("federation");
        Run chats = run("show", capture.toString(), "--kind", "message", "--type", "chat", "--text", "hi bob");
        assertEquals(0, chats.exit(), chats.err());
        List<String> hops = chats.out().lines().toList();
        assertEquals(3, hops.size(), "alice's client → a.example → b.example → bob's client: " + chats.out());
        for (String line : hops) {
            assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  \\d+-[sc]-\\d+\\s+[→←]  message chat\\s+.*→ bob@b\\.example"
                    + "\\s+chat: Hi Bob! Alice here, writing from a\\.example\\."), line);
        }
        String firstRef = hops.get(0).split("\\s+")[1];
        assertEquals(1, run("show", capture.toString(), "--kind", "message", "--limit", "1").out().lines().count());

        Run one = run("show", capture.toString(), "--stanza", firstRef);
        assertEquals(0, one.exit(), one.err());
        List<String> lines = one.out().lines().toList();
        assertTrue(lines.get(0).startsWith(firstRef + "  message chat  on connection "), lines.get(0));
        int route = indexOf(lines, "^route\\s+3 hops, confidence 100%: same id .*");
        assertTrue(lines.get(route + 1).matches("  1\\.\\s+" + firstRef + "\\s+alice@a\\.example/laptop → a\\.example\\s+\\S+"),
                lines.get(route + 1));
        assertTrue(lines.get(route + 2).matches("  2\\.\\s+\\S+\\s+a\\.example → b\\.example\\s+\\S+\\s+held .*"), lines.get(route + 2));
        String presence = run("show", capture.toString(), "--kind", "presence", "--limit", "1").out().lines().findFirst()
                .orElseThrow().split("\\s+")[1];
        assertTrue(run("show", capture.toString(), "--stanza", presence).out().contains(", to no one in particular (a broadcast),"),
                "alice's first presence is addressed to nobody, not to null");
        String s2sRef = lines.get(route + 2).strip().split("\\s+")[1];
        assertTrue(run("show", capture.toString(), "--stanza", s2sRef).out().lines().findFirst().orElseThrow()
                .endsWith(", initiating → receiving server"), "an s2s stream has no client");
        assertTrue(lines.get(route + 3).matches("  3\\.\\s+\\S+\\s+b\\.example → bob@b\\.example/phone\\s+\\S+\\s+held .*"),
                lines.get(route + 3));
        assertEquals("XML", lines.get(route + 4));
        assertTrue(lines.get(route + 5).startsWith("<message ") && lines.get(route + 5).contains("Hi Bob!"), lines.get(route + 5));
    }

    /** Scripts get the API's JSON: the same shapes GET /api/connections and /api/stanzas/REF answer. */
    @Test
    void jsonIsTheApisShapes() throws IOException {
        Path capture = sample("federation");
        JsonNode conns = JSON.readTree(run("show", capture.toString(), "--json").out());
        List<Long> ids = new ArrayList<>();
        conns.get("items").forEach(c -> ids.add(c.get("id").asLong()));
        assertEquals(16, ids.size(), conns.toString());
        assertTrue(conns.get("items").get(0).has("closeReason") && conns.get("items").get(0).has("openedAt"), conns.toString());

        JsonNode chats = JSON.readTree(run("show", capture.toString(), "--text", "hi bob", "--kind", "message", "--json").out());
        assertEquals(3, chats.get("items").size(), chats.toString());
        String ref = chats.get("items").get(0).get("ref").asText();
        JsonNode one = JSON.readTree(run("show", capture.toString(), "--stanza", ref, "--json").out());
        assertEquals(3, one.get("route").get("hops").size(), one.toString());
        assertTrue(one.get("xml").asText().contains("Hi Bob!"), one.toString());

        JsonNode steps = JSON.readTree(run("show", capture.toString(), "--negotiation", String.valueOf(ids.get(0)), "--json").out());
        assertTrue(steps.get("items").size() > 3 && steps.get("items").get(0).has("title"), steps.toString());
    }

    /**
     * A stanza is written by whoever sent it: an escape sequence (clear the screen, retitle the
     * window: raw bytes a parser refuses, shown as they came) or a right-to-left override in a body
     * is printed escaped, in text and in JSON alike, and the JSON still reads back as what was sent.
     */
    @Test
    void whatCameOffTheWireCannotDriveTheTerminal() throws IOException {
        // zero-width characters hide in a name ('al\u200bice' passes for alice); an emoji's joiner is part of it
        String body = "look \u009b31m \u202eevil al\u200bice b\u200dob \uD83D\uDC69\u200d\uD83D\uDCBB";
        String raw = "<message to='bob@a.example' id='e2' type='chat'><body>\u001b[2J\u001b]0;pwned\u0007</body></message>";
        Path db = tmp.resolve("escapes");
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            long t = 1_764_000_000_000_000_000L;
            w.opened(new ConnectionOpened(1, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40001",
                    "127.0.0.2:5222", TlsMode.PASSTHROUGH, t));
            byte[] b = ("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>"
                    + "<message to='bob@a.example' id='e1' type='chat'><body>" + body + "</body></message>" + raw)
                    .getBytes(StandardCharsets.UTF_8);
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, t + 10, TlsLayer.PLAIN, 0, b));
            w.closed(new ConnectionClosed(1, t + 100, CloseReason.CLIENT_CLOSED, "", b.length, 0));
        }
        List<String> outputs = new ArrayList<>();
        for (String[] args : List.of(new String[] {"--stanzas"}, new String[] {"--stanzas", "--json"},
                new String[] {"--stanza", "1-s-1"}, new String[] {"--stanza", "1-s-1", "--json"},
                new String[] {"--stanza", "1-s-2"}, new String[] {"--stanza", "1-s-2", "--json"})) {
            List<String> command = new ArrayList<>(List.of("show", db.toString()));
            command.addAll(List.of(args));
            Run r = run(command.toArray(String[]::new));
            assertEquals(0, r.exit(), r.err());
            for (char c : new char[] {'\u001b', '\u0007', '\u009b', '\u202e', '\u200b'}) {
                assertFalse(r.out().indexOf(c) >= 0, String.join(" ", args) + " printed U+" + Integer.toHexString(c) + ": " + r.out());
            }
            outputs.add(r.out());
        }
        assertTrue(outputs.get(0).contains("1-s-1     →  message chat     → bob@a.example  chat: look \\x9b31m \\u202eevil"
                + " al\\u200bice b\\u200dob \uD83D\uDC69\u200d\uD83D\uDCBB"), outputs.get(0));
        assertTrue(outputs.get(0).contains("1-s-2     →  unparsed"), outputs.get(0));
        assertEquals(body, JSON.readTree(outputs.get(1)).get("items").get(1).get("summary").asText().substring("chat: ".length()),
                "JSON escapes, it does not change the text: " + outputs.get(1));
        assertTrue(outputs.get(2).contains("<body>look \\x9b31m \\u202eevil al\\u200bice b\\u200dob"
                + " \uD83D\uDC69\u200d\uD83D\uDCBB</body>"), outputs.get(2));
        assertTrue(JSON.readTree(outputs.get(3)).get("xml").asText().contains(body), outputs.get(3));
        assertTrue(outputs.get(4).contains("<body>\\x1b[2J\\x1b]0;pwned\\x07</body>"), outputs.get(4));
        assertTrue(JSON.readTree(outputs.get(5)).get("xml").asText().contains("\u001b[2J"), outputs.get(5));
    }

    /** A capture database (not a file to import) is analyzed once: the analysis is kept beside it for the next look. */
    @Test
    void aCaptureDatabaseKeepsItsAnalysisForTheNextLook() throws IOException {
        Path db = tmp.resolve("lab");
        assertEquals(0, run("import", "--db", db.toString(), sample("failures").toString()).exit());
        Run first = run("show", db.toString());
        assertEquals(0, first.exit(), first.err());
        try (CaptureStore store = CaptureStore.open(db)) {
            assertTrue(Files.isRegularFile(store.analysisFile()), "analysis kept at " + store.analysisFile());
        }
        assertEquals(first.out(), run("show", db.toString()).out());
    }

    /**
     * For a bug report: the failing login exported alone (export --connection), as .xscap and as
     * .pcapng, holds that connection and nobody else's.
     */
    @Test
    void aConnectionExportedAloneIsAllTheFileHolds() throws IOException {
        Path db = tmp.resolve("lab");
        assertEquals(0, run("import", "--db", db.toString(), sample("failures").toString()).exit());
        for (String name : List.of("login.xscap", "login.pcapng")) {
            Path file = tmp.resolve(name);
            Run export = run("export", "--db", db.toString(), "--connection", "1,4", "--out", file.toString());
            assertEquals(0, export.exit(), export.err());
            Run shown = run("show", file.toString());
            assertEquals(0, shown.exit(), shown.err());
            List<String> rows = shown.out().lines().filter(l -> l.matches("^\\d+\\s.*")).toList();
            assertEquals(2, rows.size(), name + ": " + shown.out());
            assertTrue(shown.out().contains("✗ Authentication failed: not-authorized"), name + ": " + shown.out());
            assertTrue(shown.out().contains("alice@a.example/test"), name + ": " + shown.out());
            assertFalse(shown.out().contains("mute@b.example") || shown.out().contains("nobody.example"), name + ": " + shown.out());
        }
        Run missing = run("export", "--db", db.toString(), "--connection", "4,99", "--out", tmp.resolve("x.xscap").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no connection 99 in " + db + " (its connections: 1-6;"), missing.err());
        assertFalse(Files.exists(tmp.resolve("x.xscap")), "nothing written");
    }

    @Test
    void aMistakeIsSaidBeforeAnythingIsAnalyzed() throws IOException {
        Path capture = sample("failures");
        Run two = run("show", capture.toString(), "--negotiation", "1", "--kind", "sasl");
        assertEquals(2, two.exit());
        assertTrue(two.err().startsWith("show one thing at a time: --negotiation and a stanza filter were given"), two.err());
        assertFalse(two.err().contains("analyzing"), "nothing analyzed: " + two.err());

        Run kind = run("show", capture.toString(), "--kind", "msg");
        assertEquals(2, kind.exit());
        assertTrue(kind.err().startsWith("unknown kind 'msg': one of message, presence, iq,"), kind.err());

        Run missing = run("show", capture.toString(), "--negotiation", "99");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no connection 99 in " + capture + " (its connections: 1-6;"), missing.err());
        Run noStream = run("show", capture.toString(), "--conn", "99");
        assertEquals(1, noStream.exit(), "not 'no stanza matches', as for a stream with nothing in it: " + noStream.out());
        assertTrue(noStream.err().contains("no connection 99 in " + capture + " (its connections: 1-6;"), noStream.err());

        Run nothing = run("show", tmp.resolve("nothing").toString());
        assertEquals(1, nothing.exit());
        assertTrue(nothing.err().contains("no capture at "), nothing.err());
    }

    /**
     * In a terminal (a real pseudo-terminal, from util-linux's {@code script}) the answer goes
     * through the user's pager, after the analysis's own lines; --no-pager prints it straight.
     */
    @Test
    void inATerminalTheAnswerGoesThroughThePagerUnlessToldNot() throws Exception {
        Path capture = sample("failures");
        Path paged = tmp.resolve("paged.txt");
        String show = String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "show", capture.toString());

        String terminal = inTerminal(show, Map.of("PAGER", "cat > " + paged));
        String answer = Files.readString(paged);
        assertTrue(answer.lines().anyMatch(l -> l.startsWith("    ✗ Authentication failed: not-authorized")), answer);
        assertFalse(terminal.contains("Authentication failed"), "the pager had the answer, not the terminal: " + terminal);
        assertTrue(terminal.contains("analyzing"), "what it was doing is on the terminal: " + terminal);

        Files.delete(paged);
        String straight = inTerminal(show + " --no-pager", Map.of("PAGER", "cat > " + paged));
        assertTrue(straight.contains("Authentication failed: not-authorized"), straight);
        assertFalse(Files.exists(paged), "no pager was started");
    }

    /**
     * {@code show ... | head}: once the pipe is closed, the listing stops at the end of the page
     * it is on instead of making every page of a long capture for nobody. The JVM's stdout keeps
     * a broken pipe to itself, so it is what this test breaks: after the first lines every write
     * fails, as after head exits.
     */
    @Test
    void aListingStopsSoonAfterThePipeItFeedsIsClosed() throws IOException {
        int messages = 5 * StanzaQuery.MAX_LIMIT;
        Path db = tmp.resolve("long");
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            long t = 1_764_000_000_000_000_000L;
            w.opened(new ConnectionOpened(1, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40001",
                    "127.0.0.2:5222", TlsMode.PASSTHROUGH, t));
            StringBuilder xml = new StringBuilder("<stream:stream xmlns='jabber:client'"
                    + " xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>");
            for (int i = 0; i < messages; i++) {
                xml.append("<message to='bob@a.example' id='m").append(i).append("' type='chat'><body>").append(i)
                        .append("</body></message>");
            }
            byte[] b = xml.toString().getBytes(StandardCharsets.UTF_8);
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, t + 10, TlsLayer.PLAIN, 0, b));
            w.closed(new ConnectionClosed(1, t + 100, CloseReason.CLIENT_CLOSED, "", b.length, 0));
        }
        ClosedAfter pipe = new ClosedAfter(4096);
        PrintStream stdout = System.out;
        int exit;
        System.setOut(new PrintStream(pipe, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Main.commandLine(); // its stdout is System.out, as for a user
            cl.setErr(new PrintWriter(new StringWriter()));
            exit = cl.execute("show", db.toString(), "--stanzas");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, exit);
        assertTrue(pipe.linesRefused > 0, "the pipe was closed while the first page was listed");
        assertTrue(pipe.linesRefused < 2 * StanzaQuery.MAX_LIMIT, "lines written after the pipe was closed: "
                + pipe.linesRefused + " of the " + messages + " stanzas' (at most the rest of the page expected)");
    }

    /** A pipe whose reader leaves after {@code open} bytes: every later write fails, and its lines are counted. */
    private static final class ClosedAfter extends OutputStream {
        private int open;
        int linesRefused;

        ClosedAfter(int open) {
            this.open = open;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (open >= len) {
                open -= len;
                return;
            }
            open = 0;
            for (int i = off; i < off + len; i++) {
                linesRefused += b[i] == '\n' ? 1 : 0;
            }
            throw new IOException("Broken pipe");
        }
    }

    /** What {@code command} printed, run with a pseudo-terminal as its stdin and stdout. */
    private String inTerminal(String command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("script", "--quiet", "--return", "--command", command, "/dev/null")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static int indexOf(List<String> lines, String regex) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        throw new AssertionError("no line matches " + regex + " in:\n" + String.join("\n", lines));
    }
}
