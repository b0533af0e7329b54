package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.ReadOnlyFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportImportCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int exit = cl.execute(args);
        return new Run(exit, err.toString());
    }

    private void record(Path db, int connections) {
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            long t = 1_764_000_000_000_000_000L;
            for (int i = 1; i <= connections; i++) {
                w.opened(new ConnectionOpened(i, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:" + (40000 + i),
                        "127.0.0.2:5222", TlsMode.PASSTHROUGH, t + i));
                byte[] b = ("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>"
                        + "<message id='m" + i + "'><body>" + "x".repeat(5000) + "</body></message>").getBytes(StandardCharsets.UTF_8);
                w.chunk(Chunk.of(i, 1, Direction.TO_SERVER, t + 10 + i, TlsLayer.PLAIN, 0, b));
                w.closed(new ConnectionClosed(i, t + 100 + i, CloseReason.CLIENT_CLOSED, "", b.length, 0));
            }
        }
    }

    @Test
    void openShowsHowFarTheAnalysisHasCome() throws Exception {
        Path db = tmp.resolve("src");
        record(db, 3);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            RealFederationWebTest.parse(new OpenCommand(), List.of(db.toString(), "--progress", "--web", "127.0.0.1:0"))
                    .startAnalyzed().closeAll();
        } finally {
            System.setErr(stderr);
        }
        String bar = err.toString(StandardCharsets.UTF_8);
        assertTrue(bar.contains("analyzing [" + "#".repeat(30) + "] 100% 9/9 records"), bar);
    }

    /**
     * An export into a directory not made yet makes it, whatever the format (an .xscap did, a
     * .pcapng failed with its bare name); one into a directory the user may not write says so in
     * one line, naming the file asked for, never the hidden file it writes first.
     */
    @Test
    void anExportMakesItsDirectoryOrSaysWhyItCannot() throws Exception {
        Path db = tmp.resolve("src");
        record(db, 1);
        for (String name : List.of("x.pcapng", "x.xscap", "x.dot")) {
            Path out = tmp.resolve("new-dir").resolve(name);
            Run r = run("export", "--db", db.toString(), "--out", out.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(Files.size(out) > 0, out.toString());
        }
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        try (ReadOnlyFiles readOnly = new ReadOnlyFiles().lock(locked)) {
            for (String name : List.of("x.pcapng", "x.xscap", "x.dot", "sub/x.pcapng")) {
                Path out = locked.resolve(name);
                Run r = run("export", "--db", db.toString(), "--out", out.toString());
                assertEquals(1, r.exit(), r.err());
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().matches("xmppscope: cannot (write|create capture file|write the graph to) " + out
                        + "(: cannot create " + out.getParent() + ")?:? \\(?(Operation not permitted|Permission denied|permission denied)\\)?\\n"),
                        r.err());
            }
        }
    }

    /**
     * A capture its user may not write (someone else's, on read-only media) is opened, served and
     * exported as it is; recording into it fails saying why; its analysis goes to the user's cache,
     * and the next look reuses it from there.
     */
    @Test
    void aCaptureItsUserMayNotWriteIsOpenedServedAndExportedButNotRecordedInto() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Path db = dir.resolve("src");
        record(db, 2);
        Path exported = tmp.resolve("again.xscap");
        Path cachedAnalysis;
        try (CaptureStore store = CaptureStore.open(db)) {
            cachedAnalysis = CaptureStore.readOnlyAnalysisDir().resolve(store.id() + "-" + Files.size(CaptureStore.payloadFile(db))
                    + ".analysis.mv.db"); // by id and size: copies taken at other points have their own
        }
        try (ReadOnlyFiles readOnly = new ReadOnlyFiles().lock(CaptureStore.dataFile(db), CaptureStore.payloadFile(db), dir)) {
            StringWriter out = new StringWriter();
            OpenCommand open = new OpenCommand();
            CommandLine cl = new CommandLine(open);
            cl.setOut(new PrintWriter(out, true));
            cl.parseArgs(db.toString(), "--web", "127.0.0.1:0");
            Serving serving = open.startAnalyzed();
            try {
                JsonNode stanzas = RealFederationWebTest.get(serving, "/api/stanzas?kind=message");
                assertEquals(2, stanzas.get("items").size(), stanzas.toString());
                assertEquals(0, RealFederationWebTest.get(serving, "/api/diffs").get("items").size());
            } finally {
                serving.closeAll();
            }
            assertTrue(out.toString().contains(CaptureStore.dataFile(db).toAbsolutePath() + " is read-only for you: it is opened"
                    + " read-only, and its analysis is kept in " + cachedAnalysis), out.toString());
            assertTrue(Files.exists(cachedAnalysis), cachedAnalysis + " holds the analysis");
            WebCommandsTest.Run again = WebCommandsTest.run("show", db.toString(), "--no-pager");
            assertTrue(again.err().contains("analysis reused from " + cachedAnalysis + " (made "), "kept in the cache: " + again.err());
            assertTrue(again.out().contains("CLIENT_CLOSED"), again.out());

            Run export = run("export", "--db", db.toString(), "--out", exported.toString());
            assertEquals(0, export.exit(), export.err());
            Run into = run("import", "--db", db.toString(), exported.toString());
            assertEquals(1, into.exit(), into.err());
            assertTrue(into.err().contains("cannot record into " + CaptureStore.dataFile(db) + ": it is read-only for you"),
                    into.err());
            // a new database where none can be made: said as such, not as one made and removed again
            Path fresh = dir.resolve("fresh");
            Run none = run("import", "--db", fresh.toString(), exported.toString());
            assertEquals(1, none.exit(), none.err());
            assertTrue(none.err().startsWith("xmppscope: cannot open capture database " + CaptureStore.dataFile(fresh) + ": "),
                    none.err());
            assertFalse(none.err().contains("created by this import"), none.err());
        } finally {
            Files.deleteIfExists(cachedAnalysis); // in the user's real cache
        }
        assertFalse(Files.exists(CaptureStore.analysisFile(db)), "nothing was written beside the capture");
        Run back = run("import", "--db", tmp.resolve("copy").toString(), exported.toString());
        assertTrue(back.err().contains("2 connections (ids 1-2), 6 records"), back.err());
    }

    /**
     * A pcap holds what was on the wire, passwords included: imported, they are masked as the proxy
     * masks what it records (the database, the UI and what is exported from them show none),
     * unless the user asks to keep them.
     */
    @Test
    void aPcapsPasswordsAreMaskedOnImportUnlessKept() {
        Path db = tmp.resolve("kept");
        String auth = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>";
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            long t = 1_764_000_000_000_000_000L;
            w.opened(new ConnectionOpened(1, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40001",
                    "127.0.0.2:5222", TlsMode.PASSTHROUGH, t));
            byte[] b = ("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>"
                    + auth).getBytes(StandardCharsets.UTF_8);
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, t + 10, TlsLayer.PLAIN, 0, b));
            w.closed(new ConnectionClosed(1, t + 100, CloseReason.CLIENT_CLOSED, "", b.length, 0));
        }
        Path pcap = tmp.resolve("login.pcapng");
        assertEquals(0, run("export", "--db", db.toString(), "--out", pcap.toString()).exit());

        Run masked = run("import", "--db", tmp.resolve("masked").toString(), pcap.toString());
        assertEquals(0, masked.exit(), masked.err());
        Stored in = Stored.of(tmp.resolve("masked"));
        assertTrue(in.text().contains("mechanism='PLAIN'>AGFsaWNlACoqKioqKg==</auth>"), "the password is masked, the user kept: "
                + in.text());
        assertEquals(List.of("SASL PLAIN password (the username is kept) masked on import (plain chunk 2);"
                + " login.pcapng is unchanged"), in.events());

        Run kept = run("import", "--db", tmp.resolve("unmasked").toString(), "--keep-secrets", pcap.toString());
        assertEquals(0, kept.exit(), kept.err());
        Stored as = Stored.of(tmp.resolve("unmasked"));
        assertTrue(as.text().contains(auth), as.text());
        assertEquals(List.of(), as.events());
    }

    /** The client's bytes and the events a capture database holds. */
    private record Stored(String text, List<String> events) {
        static Stored of(Path db) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            List<String> events = new ArrayList<>();
            try (CaptureStore store = CaptureStore.open(db); var reader = store.newReader()) {
                reader.replay(new CaptureSink() {
                    @Override
                    public void opened(ConnectionOpened connection) {
                    }

                    @Override
                    public void chunk(Chunk chunk) {
                        bytes.writeBytes(chunk.bytes());
                    }

                    @Override
                    public void event(ConnectionEvent event) {
                        if (event.kind() == EventKind.SECRET_REDACTED) {
                            events.add(event.detail());
                        }
                    }

                    @Override
                    public void closed(ConnectionClosed connection) {
                    }
                });
            }
            return new Stored(bytes.toString(StandardCharsets.UTF_8), events);
        }
    }

    @Test
    void exportThenImportTwiceMergesWithFreshIds() {
        Path db = tmp.resolve("src");
        record(db, 3);
        Path file = tmp.resolve("c.xscap");
        Run export = run("export", "--db", db.toString(), "--out", file.toString(), "--title", "three");
        assertEquals(0, export.exit(), export.err());
        assertTrue(export.err().contains("wrote " + file + " (9 records)"), export.err());

        Path target = tmp.resolve("target");
        assertEquals(0, run("import", "--db", target.toString(), file.toString()).exit());
        Run second = run("import", "--db", target.toString(), file.toString());
        assertTrue(second.err().contains("3 connections (ids 4-6), 9 records"), second.err());
        try (CaptureStore store = CaptureStore.open(target)) {
            assertEquals(7, store.nextConnectionId());
        }
    }

    @Test
    void aPcapngExportImportsBackAsTheSameConversations() {
        Path db = tmp.resolve("src");
        record(db, 2);
        Path file = tmp.resolve("c.pcapng");
        assertEquals(0, run("export", "--db", db.toString(), "--out", file.toString()).exit());
        Run imp = run("import", "--db", tmp.resolve("t").toString(), file.toString());
        assertTrue(imp.err().contains("2 connections (ids 1-2)"), imp.err());
    }

    /** The files of a ring buffer (here cut by editcap, as dumpcap -b writes them), given in any order. */
    @Test
    void pcapFilesImportedTogetherAreOneCaptureWhoseConnectionsStayWhole() throws Exception {
        Path db = tmp.resolve("src");
        record(db, 2);
        Path whole = tmp.resolve("c.pcapng");
        assertEquals(0, run("export", "--db", db.toString(), "--out", whole.toString()).exit());
        Path ring = Files.createDirectories(tmp.resolve("ring"));
        Process split = new ProcessBuilder("/usr/bin/editcap", "-c", "3", whole.toString(), ring.resolve("part.pcapng").toString())
                .redirectErrorStream(true).start();
        split.getInputStream().readAllBytes();
        assertEquals(0, split.waitFor());
        List<String> args = new ArrayList<>(List.of("import", "--db", tmp.resolve("t").toString()));
        try (var parts = Files.list(ring)) {
            parts.sorted(Comparator.reverseOrder()).forEach(p -> args.add(p.toString()));
        }
        assertTrue(args.size() > 5, "several parts: " + args);

        Run imp = run(args.toArray(String[]::new));
        assertEquals(0, imp.exit(), imp.err());
        assertTrue(imp.err().contains("(read as one capture, in the order of their first packets): 2 connections (ids 1-2)"),
                imp.err());
    }

    @Test
    void aDamagedFileIsImportedUpToTheDamageAndTheExitCodeSaysSo() throws Exception {
        Path db = tmp.resolve("src");
        record(db, 40);
        Path file = tmp.resolve("c.xscap");
        run("export", "--db", db.toString(), "--out", file.toString());
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length * 2 / 3));
        Run imp = run("import", "--db", tmp.resolve("t").toString(), file.toString());
        assertEquals(2, imp.exit());
        assertTrue(imp.err().matches("(?s).*is truncated.*line \\d+.*kept what came before the damage: \\d+ records in \\d+ connections.*"),
                imp.err());
    }

    @Test
    void theGraphOfTheFederationSampleExportsForGephiAndGraphviz() throws Exception {
        Path db = tmp.resolve("fed");
        Path sample = dev.xmppscope.replay.BundledSample.open("federation").file();
        assertEquals(0, run("import", "--db", db.toString(), sample.toString()).exit());
        Run gexf = run("export", "--db", db.toString(), "--out", tmp.resolve("fed.gexf").toString());
        assertEquals(0, gexf.exit(), gexf.err());
        String xml = Files.readString(tmp.resolve("fed.gexf"));
        assertTrue(xml.contains("<gexf") && xml.contains("server:b.example") && xml.contains("client:alice@a.example/laptop"), xml);
        assertEquals(0, run("export", "--db", db.toString(), "--out", tmp.resolve("fed.dot").toString()).exit());
        String dot = Files.readString(tmp.resolve("fed.dot"));
        assertTrue(dot.contains("graph") && dot.contains("server:c.example"), dot);
    }

    @Test
    void unknownExportFormatsAndMissingDatabasesAreExplained() {
        Run r = run("export", "--db", tmp.resolve("nothing").toString(), "--out", tmp.resolve("x.txt").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("name the file .xscap (xmppscope), .pcapng (Wireshark), .gexf (Gephi) or .dot (Graphviz)"),
                r.err());
        r = run("export", "--db", tmp.resolve("nothing").toString(), "--out", tmp.resolve("x.xscap").toString());
        assertTrue(r.err().contains("there is no capture database at"), r.err());
    }

    /**
     * Files that are not what their names say: each error says what the file starts with and what
     * was expected, nothing is created or added, and a database given where a file is expected is
     * named for what it is, with the command that reads it.
     */
    @Test
    void filesThatAreNotCapturesAreExplainedBeforeAnythingIsWritten() throws Exception {
        Path notPcap = Files.write(tmp.resolve("trace.pcap"), "<html>404 Not Found</html>".getBytes(StandardCharsets.US_ASCII));
        Path target = tmp.resolve("target");
        Run r = run("import", "--db", target.toString(), notPcap.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("trace.pcap is named like a pcap file but does not start like one: it starts with"
                + " 3c 68 74 6d 6c 3e 34 30, where"), r.err());
        assertFalse(Files.exists(CaptureStore.dataFile(target)), "no empty database is left behind");

        Path db = tmp.resolve("lab");
        record(db, 1);
        r = run("import", "--db", target.toString(), CaptureStore.dataFile(db).toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("lab.mv.db is a capture database, not a capture file: open it with 'xmppscope open " + db + "'"),
                r.err());

        Path notH2 = Files.write(tmp.resolve("broken.mv.db"), "garbage".getBytes(StandardCharsets.US_ASCII));
        r = run("export", "--db", notH2.toString(), "--out", tmp.resolve("x.xscap").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("broken.mv.db is not a capture database: the H2 files xmppscope records into start with 'H:2,'"),
                r.err());
        assertEquals("garbage", Files.readString(notH2), "the file is left as it was");
    }
}
