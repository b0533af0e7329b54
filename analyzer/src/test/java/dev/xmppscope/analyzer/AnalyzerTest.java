package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureRecord;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsMode;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzerTest {
    @TempDir
    Path dir;

    private Analyzer analyzed(CaptureStore store) {
        Analyzer a = Analyzer.open(store);
        FederationFixture.script().playInto(a);
        return a;
    }

    @Test
    void theGraphHasBothServersTheClientsAndEveryStream() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store)) {
            GraphSnapshot g = a.graph();
            Set<String> nodes = g.nodes().stream().map(GraphNode::id).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(List.of("server:a.example", "server:b.example", "client:alice@a.example/phone",
                    "client:bob@b.example/laptop", "client:conn-5")), nodes);
            Set<String> edges = g.edges().stream().map(e -> e.id() + " " + e.source() + "→" + e.target() + " " + e.state())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(List.of(
                    "c2s:1 client:alice@a.example/phone→server:a.example closed",
                    "s2s:2 server:a.example→server:b.example established",
                    "s2s:3 server:b.example→server:a.example established",
                    "c2s:4 client:bob@b.example/laptop→server:b.example established",
                    "c2s:5 client:conn-5→server:a.example error")), edges);
            GraphNode alice = g.nodes().stream().filter(n -> n.id().equals("client:alice@a.example/phone")).findFirst().orElseThrow();
            assertEquals("alice@a.example", alice.bareJid());
            assertEquals("server:a.example", alice.parent());
            GraphEdge s2s = g.edges().stream().filter(e -> e.id().equals("s2s:2")).findFirst().orElseThrow();
            assertEquals(7, s2s.stanzas(), "a.example sent header, db:result, message, ping; b.example header, features, valid");
        }
    }

    @Test
    void aC2sLoginReadsAsItsNegotiationSteps() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store)) {
            List<NegotiationStep> steps = a.negotiation(1);
            assertEquals(List.of("header", "header", "features", "sasl-auth", "sasl-success", "restart",
                    "header", "features", "bind", "bind", "close", "close", "iq-unanswered", "close"),
                    steps.stream().map(NegotiationStep::step).toList(), "the version query 'lost1' was never answered");
            assertEquals("Client opens a c2s stream to a.example", steps.get(0).title());
            assertEquals("Server offers STARTTLS, SASL (SCRAM-SHA-1, PLAIN)", steps.get(2).title(), "the mechanisms are said once");
            assertEquals("Client authenticates with PLAIN", steps.get(3).title());
            assertEquals("Client restarts the stream after SASL success", steps.get(5).title());
            assertEquals("Bound to alice@a.example/phone", steps.get(9).title());
            assertEquals("Server answers the close after 1.5 ms", steps.get(11).title());
            assertEquals("1 IQ request on this stream was never answered", steps.get(12).title());
            assertEquals("Connection ended after 62.0 ms: Client closed the stream, Server answered; Client closed TCP",
                    steps.get(13).title());
            ConnectionView alice = a.connection(1).orElseThrow();
            assertEquals("alice@a.example/phone", alice.jid());
            assertEquals("c2s", alice.kind());
            assertEquals("closed", alice.state());
            assertNull(alice.error());
        }
    }

    @Test
    void aWrongPasswordIsASaslFailureNotAuthorizedInPlainWords() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store)) {
            NegotiationStep failure = a.negotiation(5).stream().filter(s -> s.step().equals("sasl-failure")).findFirst().orElseThrow();
            assertEquals("failed", failure.status());
            assertEquals("Authentication failed: not-authorized (wrong username or password, or no such account)", failure.title());
            assertEquals("not-authorized", failure.detail());
            ConnectionView mallory = a.connection(5).orElseThrow();
            assertEquals("error", mallory.state());
            assertEquals(failure.title(), mallory.error());
        }
    }

    @Test
    void s2sStreamsReadAsDialback() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store)) {
            List<String> out = a.negotiation(2).stream().map(s -> s.step() + ": " + s.title()).toList();
            assertEquals(List.of("header: a.example opens an s2s stream to b.example",
                    "header: b.example answers with stream id s2s-b1",
                    "features: b.example offers dialback",
                    "dialback-result: a.example asks b.example to accept it (dialback key)",
                    "dialback-result: b.example accepts a.example (dialback valid, checked with a.example on connection 3)"), out);
            assertEquals("a.example→b.example", a.connection(2).orElseThrow().jid());
            List<String> back = a.negotiation(3).stream().map(NegotiationStep::step).toList();
            assertTrue(back.containsAll(List.of("dialback-verify", "dialback-result")), back.toString());
            assertEquals("b.example→a.example", a.connection(3).orElseThrow().jid());
        }
    }

    @Test
    void aMessageFromAliceToBobIsOneRouteOfThreeHopsWithHeldTimes() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store)) {
            StanzaSummary sent = a.stanzas(new StanzaQuery(null, null, "message", null, null, "m1", 1L, null, null, null, 10))
                    .items().get(0);
            StanzaRoute route = a.route(sent.ref()).orElseThrow();
            assertEquals(List.of(1L, 2L, 4L), route.hops().stream().map(StanzaRoute.Hop::connection).toList());
            assertEquals(List.of("client:alice@a.example/phone→server:a.example", "server:a.example→server:b.example",
                    "server:b.example→client:bob@b.example/laptop"),
                    route.hops().stream().map(h -> h.source() + "→" + h.target()).toList());
            assertNull(route.hops().get(0).heldNanos());
            assertEquals(11_000_000L, route.hops().get(1).heldNanos(), "a.example held it while setting up s2s");
            assertEquals(2_000_000L, route.hops().get(2).heldNanos());
            assertEquals(List.of(false, true, false), route.hops().stream().map(StanzaRoute.Hop::linkOpened).toList(),
                    "a.example opened its link to b.example for it; bob's stream was there already");
            assertEquals(route, a.stanza(sent.ref()).orElseThrow().route(), "the stanza's detail says the same");
            assertEquals(1.0, route.confidence());
            assertTrue(route.explanation().startsWith("same id 'm1'"), route.explanation());
            String last = route.hops().get(2).stanzaRef();
            assertEquals(route, a.route(last).orElseThrow(), "any hop finds the route");
        }
    }

    @Test
    void aPingAcrossServersIsPairedWithItsAnswerAndBothAreRouted() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store)) {
            List<StanzaSummary> onAlice = a.stanzas(new StanzaQuery(null, null, "iq", null, null, "ping1", 1L, null, null, null, 10)).items();
            assertEquals(2, onAlice.size());
            StanzaDetail ping = a.stanza(onAlice.get(0).ref()).orElseThrow();
            assertEquals(onAlice.get(1).ref(), ping.iqPartner());
            assertEquals(7_000_000L, ping.iqRttNanos());
            assertFalse(ping.unanswered());
            assertEquals(List.of(1L, 2L, 4L), ping.route().hops().stream().map(StanzaRoute.Hop::connection).toList());
            StanzaDetail pong = a.stanza(onAlice.get(1).ref()).orElseThrow();
            assertEquals(List.of(4L, 3L, 1L), pong.route().hops().stream().map(StanzaRoute.Hop::connection).toList(),
                    "the answer comes back on b.example's own s2s stream");
            assertEquals(List.of("XEP-0199 XMPP Ping"), ping.stanza().labels().subList(1, 2));
        }
    }

    @Test
    void aRouteEndsWhereItsStanzaReachesTheFullJidItWasSentTo() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store);
             Analyzer archiveOnly = Analyzer.open(store)) {
            // the second analyzer has seen nothing: it answers from the archive the first one writes
            String ping = a.stanzas(new StanzaQuery(null, null, "iq", null, null, "ping1", 1L, null, null, null, 1)).items()
                    .get(0).ref();
            assertEquals(3, archiveOnly.route(ping).orElseThrow().hops().size(),
                    "delivered to bob@b.example/laptop: archived at once, not when its window has passed");
            a.flushed(); // the later hops find the route through their own index records, once written
            List<StanzaSummary> hops = a.stanzas(new StanzaQuery(null, null, "iq", "get", null, "ping1", null, null, null,
                    null, 10)).items();
            assertEquals(3, hops.size());
            for (StanzaSummary hop : hops) {
                assertEquals(archiveOnly.route(ping), archiveOnly.route(hop.ref()), "the same route from hop " + hop.ref());
            }
            String message = a.stanzas(new StanzaQuery(null, null, "message", null, null, "m1", 1L, null, null, null, 1))
                    .items().get(0).ref();
            assertEquals(3, a.route(message).orElseThrow().hops().size());
            assertTrue(archiveOnly.route(message).isEmpty(), "sent to bare bob@b.example: another resource may still get a copy");
        }
    }

    @Test
    void anIqNobodyAnsweredIsFlagged() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store)) {
            StanzaSummary lost = a.stanzas(new StanzaQuery(null, null, null, null, null, "lost1", null, null, null, null, 10))
                    .items().get(0);
            assertTrue(a.stanza(lost.ref()).orElseThrow().unanswered());
        }
    }

    @Test
    void stanzasAreFoundByJidKindNamespaceTextAndTimeWithACursor() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store)) {
            List<StanzaSummary> toBob = a.stanzas(new StanzaQuery(null, "Bob@B.example", "message", null, null, null, null,
                    null, null, null, 50)).items();
            assertEquals(3, toBob.size(), "the message on each of its three links");
            assertEquals(0, a.stanzas(new StanzaQuery(null, "bob@b.example/laptop", "message", null, null, null, null,
                    null, null, null, 50)).items().size(), "the message went to the bare JID; a full JID matches its resource only");
            assertEquals(7, a.stanzas(new StanzaQuery(null, "bob@b.example/laptop", "iq", null, null, null, null,
                    null, null, null, 50)).items().size(), "bob's bind result, the ping and the pong on three links each");
            assertEquals(3, a.stanzas(new StanzaQuery(null, null, null, null, "XEP-0199", null, null, null, null, null, 50))
                    .items().size(), "the ping on its three links (the results carry no payload)");
            assertEquals(3, a.stanzas(new StanzaQuery("HELLO BOB", null, null, null, null, null, null, null, null, null, 50))
                    .items().size());
            assertEquals(1, a.stanzas(new StanzaQuery(null, null, "sasl", "failure", null, null, null, null, null, null, 50))
                    .items().size());
            List<StanzaSummary> all = new ArrayList<>();
            String cursor = null;
            do {
                StanzaPage page = a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null, cursor, 7));
                all.addAll(page.items());
                cursor = page.next();
            } while (cursor != null);
            assertEquals(a.connections().stream().mapToLong(ConnectionView::stanzaCount).sum(), all.size());
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i - 1).at() <= all.get(i).at(), "time order across pages");
            }
            // backwards from the newest page (a live view following the tail), each page in time order
            List<StanzaSummary> backwards = new ArrayList<>();
            StanzaPage newest = a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null, "latest", 7));
            assertNull(newest.next(), "nothing after the newest page");
            assertEquals(all.subList(all.size() - 7, all.size()), newest.items());
            StanzaPage page = newest;
            while (true) {
                backwards.addAll(0, page.items());
                if (page.previous() == null) {
                    break;
                }
                page = a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null, page.previous(), 7));
                assertTrue(page.items().size() == 7 || page.previous() == null, "only the oldest page may be short");
            }
            assertEquals(all, backwards, "the same stanzas in the same order both ways");
            // a backward page's next is the page after it; a forward page's previous the page before it
            StanzaPage beforeNewest = a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null,
                    newest.previous(), 7));
            assertEquals(newest.items(), a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null,
                    beforeNewest.next(), 7)).items());
            StanzaPage second = a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null,
                    a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null, null, 7)).next(), 7));
            assertEquals(all.subList(0, 7), a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null,
                    second.previous(), 7)).items());
            assertNull(a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null, null, 7)).previous(),
                    "nothing before the first page");
            List<StanzaSummary> iqs = a.stanzas(new StanzaQuery(null, null, "iq", null, null, null, null, null, null, null, 50)).items();
            assertEquals(iqs.subList(iqs.size() - 3, iqs.size()), a.stanzas(new StanzaQuery(null, null, "iq", null, null, null,
                    null, null, null, "latest", 3)).items(), "the newest page of a filtered timeline");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> a.stanzas(
                    new StanzaQuery(null, null, null, null, null, null, null, null, null, "before:x", 7)));
            assertTrue(bad.getMessage().contains("bad cursor 'before:x'"), bad.getMessage());
            long from = CaptureScript.ms(40);
            long until = CaptureScript.ms(48);
            assertEquals(8, a.stanzas(new StanzaQuery(null, null, null, null, null, null, null, from, until, null, 50))
                    .items().size());
        }
    }

    @Test
    void subscribersSeeNodesEdgesStepsStanzasAndRoutesAsTheyHappen() throws Exception {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            List<ModelEvent> seen = new ArrayList<>();
            try (AutoCloseable sub = a.subscribe(seen::add)) {
                FederationFixture.script().playInto(a);
            }
            assertTrue(seen.stream().anyMatch(e -> e instanceof ModelEvent.NodeUpdated n && n.node().id().equals("server:b.example")));
            assertTrue(seen.stream().anyMatch(e -> e instanceof ModelEvent.NodeRemoved n && n.id().equals("client:conn-1")),
                    "alice's placeholder goes once she binds her JID");
            assertTrue(seen.stream().anyMatch(e -> e instanceof ModelEvent.StepAdded s && s.step().step().equals("sasl-failure")));
            assertTrue(seen.stream().anyMatch(e -> e instanceof ModelEvent.RouteUpdated r && r.route().hops().size() == 3));
            long stanzas = seen.stream().filter(e -> e instanceof ModelEvent.StanzaAdded).count();
            assertEquals(a.connections().stream().mapToLong(ConnectionView::stanzaCount).sum(), stanzas);
        }
    }

    @Test
    void aStoredCaptureReplaysToTheSameModelAndReopeningDoesNotIndexTwice() {
        Path db = dir.resolve("stored");
        try (CaptureStore store = CaptureStore.open(db)) {
            try (CaptureWriter w = store.newWriter()) {
                FederationFixture.script().playInto(w);
            }
            List<String> first;
            try (Analyzer a = Analyzer.open(store)) {
                store.newReader().replay(a);
                first = describe(a);
                assertEquals(3, a.route(a.stanzas(new StanzaQuery(null, null, "message", null, null, "m1", 1L, null, null,
                        null, 1)).items().get(0).ref()).orElseThrow().hops().size());
            }
            try (Analyzer again = Analyzer.open(store)) {
                store.newReader().replay(again);
                assertEquals(first, describe(again));
            }
        }
    }

    /**
     * An analysis fed in the capture's time order may be kept for the next open; one that took a
     * record after a later one (a proxy's threads handing records over in another order) may not:
     * a fresh analysis reads the store in time order and may show what it took otherwise.
     */
    @Test
    void onlyAnAnalysisFedInTheCapturesTimeOrderMayBeKept() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("order")); Analyzer a = Analyzer.open(store)) {
            FederationFixture.script().playInto(a);
            assertEquals(Optional.empty(), a.whyNotKeepable());
            long early = a.connections().get(0).openedAt() + 1;
            a.opened(new ConnectionOpened(99, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, early));
            assertTrue(a.whyNotKeepable().orElseThrow().startsWith("it took records out of the capture's time order"),
                    a.whyNotKeepable().toString());
        }
    }

    @Test
    void twoAnalyzersOnOneDatabaseIndexEachStanzaOnce() {
        Path db = dir.resolve("shared");
        try (CaptureStore store = CaptureStore.open(db)) {
            try (CaptureWriter w = store.newWriter()) {
                FederationFixture.script().playInto(w);
            }
            try (Analyzer first = Analyzer.open(store); Analyzer second = Analyzer.open(store)) {
                store.newReader().replay(first);
                store.newReader().replay(second); // it opened before anything was indexed
                List<String> a = describe(first);
                assertEquals(a, describe(second));
                assertEquals(a.size(), new TreeSet<>(a).size(), "no stanza listed twice");
            }
        }
    }

    @Test
    void theGraphExportsToGexfAndDot() throws Exception {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = analyzed(store)) {
            GraphExport.write(a, dir.resolve("g.gexf"));
            GraphExport.write(a, dir.resolve("g.dot"));
            String gexf = Files.readString(dir.resolve("g.gexf"));
            assertTrue(gexf.contains("<gexf") && gexf.contains("server:b.example"), gexf);
            String dot = Files.readString(dir.resolve("g.dot"));
            assertTrue(dot.contains("digraph") && dot.contains("\"server:a.example\" -> \"server:b.example\""), dot);
        }
    }

    /**
     * Text off the wire in a DOT file is quoted as DOT wants (GraphStream's writer does not): a
     * stalled connection's error quotes the step it stalled after, and a resource may hold quotes
     * and backslashes. GraphStream's own DOT reader parses it.
     */
    @Test
    void theDotExportQuotesWhatCameOffTheWire() throws Exception {
        String error = "negotiation never completed: it stalled after \"TLS passthrough: \\\" not visible\"";
        String client = "client:bob@b.example/\"quoted\" \\ res\\";
        GraphSnapshot snapshot = new GraphSnapshot(List.of(new GraphNode("server:b.example", "server", "b.example", null, null, null),
                new GraphNode(client, "client", "bob@b.example/\"quoted\" \\ res", "server:b.example", "bob@b.example", null)),
                List.of(new GraphEdge("c2s:1", client, "server:b.example", "c2s", "error", List.of(1L), 3, 300, error, null)));
        GraphExport.write(snapshot, dir.resolve("g.dot"));
        org.graphstream.graph.Graph back = new org.graphstream.graph.implementations.MultiGraph("back");
        org.graphstream.stream.file.FileSourceDOT source = new org.graphstream.stream.file.FileSourceDOT();
        source.addSink(back);
        source.readAll(dir.resolve("g.dot").toString());
        assertEquals(2, back.getNodeCount(), Files.readString(dir.resolve("g.dot")));
        // GraphStream's reader keeps the escapes as written (Graphviz takes them out)
        assertNotNull(back.getNode(GraphExport.dotQuoted(client)), () -> back.nodes().map(org.graphstream.graph.Node::getId).toList().toString());
        assertEquals("client:bob@b.example/\\\"quoted\\\" \\ res\\ ", GraphExport.dotQuoted(client), "a trailing backslash gets a space");
        assertEquals(GraphExport.dotQuoted(error), back.edges().findFirst().orElseThrow().getAttribute("error"));
    }

    /**
     * bob writes to alice after a.example froze: b.example sends it on its s2s stream, and a.example
     * dies (its kernel resets the stream) with nothing beyond. The route says it may never have
     * been read there; the message bob's server delivered earlier says nothing of the kind.
     */
    @Test
    void aRouteEndingOnALinkItsReceiverCutSoonAfterMayHaveLostIt() {
        CaptureScript s = FederationFixture.script()
                .toServer(4, 70, "<message to='alice@a.example' id='lost2' type='chat'><body>still there?</body></message>")
                .toServer(3, 71, "<message from='bob@b.example/laptop' to='alice@a.example' id='lost2' type='chat'>"
                        + "<body>still there?</body></message>")
                .close(3, 1_271, CloseReason.SERVER_RESET);
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            String sent = a.stanzas(new StanzaQuery(null, null, "message", null, null, "lost2", 4L, null, null, null, 10))
                    .items().get(0).ref();
            StanzaRoute route = a.route(sent).orElseThrow();
            assertEquals(2, route.hops().size());
            assertTrue(route.explanation().endsWith("; the link of hop " + route.hops().get(1).stanzaRef() + " was cut by its"
                    + " receiver 1.2 s after (a TCP reset, as when a server or client crashes), with no hop beyond: it may never"
                    + " have been read there"), route.explanation());
            assertEquals(route, a.stanza(sent).orElseThrow().route());
            String delivered = a.stanzas(new StanzaQuery(null, null, "message", null, null, "m1", 1L, null, null, null, 10))
                    .items().get(0).ref();
            assertFalse(a.route(delivered).orElseThrow().explanation().contains("cut"), "m1 reached bob's client");
        }
    }

    /**
     * A quote never closed swallows the rest of a stream: the framer waits for its end, which
     * never comes. When the connection closes, what it waited on is shown unparsed, from its first
     * byte and at its time, and the connection says why; it vanished before. Live, and parsed ahead.
     */
    @Test
    void anElementLeftIncompleteWhenItsConnectionClosesIsShownUnparsed() {
        String bad = "<iq id='x1' type=\"get><ping xmlns='urn:xmpp:ping'/></iq><presence/>";
        CaptureScript s = c2sToA(7, "127.0.0.1:41000", "eve@a.example", "e1")
                .toServer(7, 3, "<presence/>")
                .toServer(7, 4, bad)
                .close(7, 9, CloseReason.CLIENT_CLOSED);
        liveAndAhead(s, a -> assertLeftIncompleteIsShown(a, bad));
    }

    /** Analyzes {@code s} live, and parsed ahead from a capture database it is written into; checks each. */
    private void liveAndAhead(CaptureScript s, Consumer<Analyzer> check) {
        try (CaptureStore store = CaptureStore.open(dir.resolve("live")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            check.accept(a);
        }
        try (CaptureStore store = CaptureStore.open(dir.resolve("ahead"))) {
            try (CaptureWriter w = store.newWriter()) {
                s.playInto(w);
            }
            try (Analyzer a = Analyzer.open(store); CaptureReader reader = store.newReader()) {
                a.analyze(reader, done -> { });
                check.accept(a);
            }
        }
    }

    /**
     * A pcap that lost packets in one direction: the stanza the hole cut is shown unparsed, and the
     * stream is parsed again from its next whole stanza, which used to be unparsed with the rest
     * of the stream. The other direction is not touched. Live, and parsed ahead.
     */
    @Test
    void aStreamIsParsedAgainAfterAHoleInTheCapture() {
        String m2 = "<message to='bob@b.example' id='m2' type='chat'><body>after the hole</body></message>";
        CaptureScript s = c2sToA(7, "127.0.0.1:41000", "eve@a.example", "e1")
                .toServer(7, 3, "<message to='bob@b.example' id='m1'><body>cut by")
                .event(7, 4, Direction.TO_SERVER, EventKind.RECORDING_GAP, "the pcap is missing 1448 bytes toServer")
                .toServer(7, 4, "ole</body></message>" + m2)
                .toClient(7, 5, "<presence/>")
                .close(7, 9, CloseReason.CLIENT_CLOSED);
        liveAndAhead(s, a -> assertParsedAgainAfterTheHole(a, m2));
    }

    private static void assertParsedAgainAfterTheHole(Analyzer a, String m2) {
        List<StanzaSummary> messages = ofKind(a, "message", 7);
        assertEquals(List.of("m2"), messages.stream().map(StanzaSummary::id).toList());
        assertEquals(m2, a.stanza(messages.get(0).ref()).orElseThrow().xml());
        List<StanzaSummary> unparsed = ofKind(a, "unparsed", 7);
        assertEquals(2, unparsed.size(), "the stanza the hole cut, and what came before the next whole one: " + unparsed);
        assertEquals("<message to='bob@b.example' id='m1'><body>cut by", a.stanza(unparsed.get(0).ref()).orElseThrow().xml());
        assertTrue(unparsed.get(0).parseStatus().startsWith("cut short"), unparsed.get(0).parseStatus());
        assertEquals("ole</body></message>", a.stanza(unparsed.get(1).ref()).orElseThrow().xml());
        assertEquals(1, ofKind(a, "presence", 7).size(), "the other direction goes on as it was");
        String error = a.connection(7).orElseThrow().error();
        assertFalse(error != null && error.contains("unparseable"), "a capture's hole is no fault of the stream: " + error);
    }

    private static void assertLeftIncompleteIsShown(Analyzer a, String bad) {
        List<StanzaSummary> unparsed = ofKind(a, "unparsed", 7);
        assertEquals(1, unparsed.size(), unparsed.toString());
        assertEquals(bad.length(), unparsed.get(0).size());
        assertEquals(CaptureScript.ms(4), unparsed.get(0).at(), "when its first bytes came, not when the connection closed");
        assertEquals(bad, a.stanza(unparsed.get(0).ref()).orElseThrow().xml());
        assertTrue(a.connection(7).orElseThrow().error().contains("the stream ended inside an element that never completed"),
                a.connection(7).orElseThrow().error());
        assertEquals(1, ofKind(a, "presence", 7).size(), "what came before it is parsed as usual");
    }

    /** The elements of one kind on one connection (the first 10). */
    private static List<StanzaSummary> ofKind(Analyzer a, String kind, long connection) {
        return a.stanzas(new StanzaQuery(null, null, kind, null, null, null, connection, null, null, null, 10)).items();
    }

    /** Client stream {@code conn} of {@code jid} to a.example opening at 0-2 ms, the server offering its pre-auth features. */
    private static CaptureScript c2sToA(long conn, String client, String jid, String streamId) {
        return new CaptureScript()
                .open(conn, 0, "127.0.0.12:5222=127.0.0.2:5222", client)
                .toServer(conn, 1, FederationFixture.clientHeader("a.example", jid))
                .toClient(conn, 2, FederationFixture.serverHeader("a.example", streamId) + FederationFixture.PRE_AUTH_FEATURES);
    }

    /** {@code s}, then a second client stream (connection 8, alice) sending {@code stanza}: what goes on after a failure. */
    private static CaptureScript thenAliceSends(CaptureScript s, String stanza) {
        return s.open(8, 5, "127.0.0.12:5222=127.0.0.2:5222", "127.0.0.1:41001")
                .toServer(8, 6, FederationFixture.clientHeader("a.example", "alice@a.example"))
                .toServer(8, 7, stanza);
    }

    @Test
    void theKindsAFilterAcceptsAreExactlyTheKindsTheAnalyzerGives() {
        // one element of each kind; a kind added to the analyzer but not to KINDS (or the reverse)
        // would make the timeline's kind filter refuse or never match it
        CaptureScript s = c2sToA(1, "127.0.0.1:41000", "alice@a.example", "k1")
                .toServer(1, 3, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
                .toServer(1, 4, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>biwsbj1hbGljZQ==</auth>")
                .toServer(1, 5, "<enable xmlns='urn:xmpp:sm:3'/><active xmlns='urn:xmpp:csi:0'/>")
                .toServer(1, 6, "<db:result xmlns:db='jabber:server:dialback' from='a.example' to='b.example'>k</db:result>")
                .toServer(1, 7, "<message to='bob@b.example'><body>hi</body></message><presence/>"
                        + "<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq><thing xmlns='urn:example'/>")
                .toClient(1, 8, "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
                        + "</stream:stream>")
                .toServer(1, 9, "<message></presence>");
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            Set<String> given = a.stanzas(StanzaQuery.all(100)).items().stream().map(StanzaSummary::kind)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(StanzaSummary.KINDS), given);
        }
        IllegalArgumentException misspelt = assertThrows(IllegalArgumentException.class,
                () -> new StanzaQuery(null, null, "msg", null, null, null, null, null, null, null, 10));
        assertTrue(misspelt.getMessage().startsWith("unknown kind 'msg': one of message, presence, iq"), misspelt.getMessage());
    }

    @Test
    void aHostileStreamIsMarkedUnparseableWhileOtherStreamsGoOn() {
        CaptureScript s = thenAliceSends(c2sToA(7, "127.0.0.1:41000", "eve@a.example", "e1")
                .toServer(7, 3, "<message><body>" + "<b>".repeat(300))
                .toServer(7, 4, "more bytes after the failure"), "<presence/>");
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            ConnectionView eve = a.connection(7).orElseThrow();
            int at = FederationFixture.clientHeader("a.example", "eve@a.example").length(); // where <message> starts
            assertEquals(187, at);
            assertEquals("Client's stream is unparseable from offset 187: elements nested deeper than 256 levels", eve.error());
            List<StanzaSummary> unparsed = ofKind(a, "unparsed", 7);
            assertEquals(2, unparsed.size());
            assertEquals(at, unparsed.get(0).offset());
            assertEquals("unparseable from offset 187: elements nested deeper than 256 levels", unparsed.get(0).parseStatus());
            assertEquals(28, unparsed.get(1).size(), "bytes after the failure are counted, not parsed");
            assertEquals(at + 15 + 3 * 300, unparsed.get(1).offset(), "where they are in the stream");
            assertNull(a.connection(8).orElseThrow().error());
            assertEquals(1, ofKind(a, "presence", 8).size(), "the next connection is parsed as usual");
        }
    }

    /**
     * A message with a mismatched end tag, which the server refuses before the client closes its
     * stream: what is shown unparsed is that message, and it comes before the server's stream
     * error, as it did on the wire.
     */
    @Test
    void aBadElementIsShownUnparsedFromItsFirstByteAndBeforeTheServersAnswer() {
        String bad = "<message to='bob@b.example' type='chat' id='bad2'><body>only bad</message>";
        CaptureScript s = c2sToA(7, "127.0.0.1:41000", "eve@a.example", "e1")
                .toServer(7, 3, bad)
                .toClient(7, 4, "<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>")
                .toServer(7, 5, "</stream:stream>");
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            StanzaSummary unparsed = ofKind(a, "unparsed", 7).get(0);
            assertEquals(bad.length(), unparsed.size());
            assertEquals(bad, a.stanza(unparsed.ref()).orElseThrow().xml());
            assertEquals("unparseable from offset 187: Unexpected close tag </message>; expected </body>.", unparsed.parseStatus());
            StanzaSummary refusal = ofKind(a, "stream-error", 7).get(0);
            assertTrue(unparsed.at() < refusal.at(), "the bad message came before the server refused it");
            List<String> order = a.stanzas(StanzaQuery.all(100)).items().stream().filter(x -> x.connection() == 7)
                    .map(StanzaSummary::kind).toList();
            assertEquals(List.of("stream-header", "stream-header", "features", "unparsed", "stream-error", "unparsed"), order);
        }
    }

    @Test
    void aStreamHeaderIsSummedUpByWhomItAddressesOrElseWhoSendsIt() {
        CaptureScript s = c2sToA(3, "127.0.0.1:41000", "alice@a.example", "k1")
                .toServer(3, 3, "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")
                .toClient(3, 4, "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' id=''>");
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            List<String> summaries = ofKind(a, "stream-header", 3).stream().map(StanzaSummary::summary).toList();
            assertEquals(List.of("stream header to a.example (jabber:client)", "stream header from a.example (jabber:client) id k1",
                    "stream restart", "stream restart"), summaries, "no 'to null', no '()', no 'id ' without one");
        }
    }

    /** A bug (injected here) met in one stream's bytes ends that stream's analysis, not the capture's. */
    @Test
    void aBugInOneStreamsAnalysisEndsThatStreamOnly() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            a.beforeRecord = BUG_ON_ITS_CHUNK;
            bugInOneStream().playInto(a);
            assertThatStreamOnlyEnded(a);
        }
    }

    /**
     * The same when the capture is read and parsed ahead of the model ({@link Analyzer#analyze}):
     * the stream's bytes after the bug read as unparsed, although the parser had already read them.
     */
    @Test
    void aBugInOneStreamsAnalysisEndsThatStreamOnlyWhenParsedAhead() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap"))) {
            try (CaptureWriter w = store.newWriter()) {
                bugInOneStream().playInto(w);
            }
            try (Analyzer a = Analyzer.open(store); CaptureReader reader = store.newReader()) {
                a.beforeRecord = BUG_ON_ITS_CHUNK;
                a.analyze(reader, done -> { });
                assertThatStreamOnlyEnded(a);
            }
        }
    }

    /** Throws, as a bug would, on the chunk of connection 7 that holds the stanza "trips-the-bug". */
    private static final Consumer<CaptureRecord> BUG_ON_ITS_CHUNK = r -> {
        if (r instanceof Chunk c && c.connectionId() == 7 && new String(c.bytes(), StandardCharsets.UTF_8).contains("trips-the-bug")) {
            throw new IllegalStateException("a bug");
        }
    };

    /** Eve's stream (7) trips the bug and sends a presence after it; Alice's (8) sends the same stanza. */
    private static CaptureScript bugInOneStream() {
        return thenAliceSends(c2sToA(7, "127.0.0.1:41000", "eve@a.example", "e1")
                .toServer(7, 3, "<presence id='trips-the-bug'/>")
                .toServer(7, 4, "<presence/>"), "<presence id='trips-the-bug'/>");
    }

    private static void assertThatStreamOnlyEnded(Analyzer a) {
        int at = FederationFixture.clientHeader("a.example", "eve@a.example").length();
        assertEquals("Client's stream is not analysed from offset " + at + " on: the analyzer failed there"
                + " (java.lang.IllegalStateException: a bug), a bug; see the log", a.connection(7).orElseThrow().error());
        List<StanzaSummary> unparsed = ofKind(a, "unparsed", 7);
        assertEquals(1, unparsed.size(), "the stream's later bytes are counted, not parsed");
        assertEquals(at + "<presence id='trips-the-bug'/>".length(), unparsed.get(0).offset());
        assertEquals(0, ofKind(a, "presence", 7).size(), "not even what a parser reading ahead had read");
        assertEquals(1, ofKind(a, "presence", 8).size(), "the other stream is analysed as usual");
        assertEquals(1, a.failures());
    }

    /** A bug (injected here) met in a connection's event or close is passed over: the analysis goes on. */
    @Test
    void aBugOnAConnectionsEventOrCloseIsPassedOver() {
        CaptureScript s = c2sToA(7, "127.0.0.1:41000", "eve@a.example", "e1")
                .event(7, 3, Direction.TO_CLIENT, EventKind.TLS_ESTABLISHED, "TLSv1.3")
                .toServer(7, 4, "<presence/>")
                .close(7, 5, CloseReason.CLIENT_CLOSED)
                .open(8, 6, "127.0.0.12:5222=127.0.0.2:5222", "127.0.0.1:41001")
                .toServer(8, 7, FederationFixture.clientHeader("a.example", "alice@a.example"))
                .toServer(8, 8, "<presence/>");
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            a.beforeRecord = r -> {
                if (r instanceof ConnectionEvent || r instanceof ConnectionClosed) {
                    throw new IllegalStateException("a bug");
                }
            };
            s.playInto(a);
            assertEquals(2, a.failures());
            assertEquals(1, ofKind(a, "presence", 7).size(), "the stream goes on after its event");
            assertEquals(1, ofKind(a, "presence", 8).size(), "and the next connection");
        }
    }

    @Test
    void aMalformedCharacterReferenceFailsItsStreamNotTheAnalysis() {
        // after text, Woodstox reports this one only when the text is read, as an unchecked
        // exception, which used to escape the parser: the analysis stopped, the capture could not be opened
        CaptureScript s = thenAliceSends(c2sToA(7, "127.0.0.1:41000", "eve@a.example", "e1")
                .toServer(7, 3, "<message to='bob@b.example'><body>t&#=1;xt</body></message>"), "<presence/>");
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            assertEquals("Client's stream is unparseable from offset 187: Unexpected character '=' (code 61);"
                    + " expected a decimal number.", a.connection(7).orElseThrow().error());
            assertEquals(1, ofKind(a, "presence", 8).size(), "the next connection is parsed as usual");
        }
    }

    @Test
    void passthroughTlsCountsBytesOnlyAfterProceed() {
        CaptureScript s = c2sToA(9, "127.0.0.1:42000", "alice@a.example", "t1")
                .toServer(9, 3, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
                .toClient(9, 4, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            a.chunk(dev.xmppscope.capture.Chunk.encrypted(9, 100, dev.xmppscope.capture.Direction.TO_SERVER,
                    CaptureScript.ms(5), 0, 517));
            a.chunk(dev.xmppscope.capture.Chunk.encrypted(9, 101, dev.xmppscope.capture.Direction.TO_CLIENT,
                    CaptureScript.ms(6), 0, 2000));
            List<String> steps = a.negotiation(9).stream().map(NegotiationStep::step).toList();
            assertEquals(List.of("header", "header", "features", "starttls", "proceed", "tls"), steps);
            ConnectionView v = a.connection(9).orElseThrow();
            assertEquals("starttls-passthrough", v.tls());
            assertEquals(FederationFixture.clientHeader("a.example", "alice@a.example").length() + 51 + 517, v.bytesIn());
        }
    }

    @Test
    void aStreamErrorSaysWhoEndedTheStreamAndWhy() {
        CaptureScript s = new CaptureScript()
                .open(3, 0, "127.0.0.13:5269=127.0.0.3:5269", "127.0.0.1:43000")
                .toServer(3, 1, FederationFixture.s2sHeader("a.example", "nowhere.example", null))
                .toClient(3, 2, FederationFixture.s2sHeader("b.example", "a.example", "x1")
                        + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>")
                .close(3, 3, dev.xmppscope.capture.CloseReason.SERVER_CLOSED);
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            NegotiationStep err = a.negotiation(3).stream().filter(x -> x.step().equals("stream-error")).findFirst().orElseThrow();
            assertEquals("nowhere.example ends the stream with error host-unknown (the server does not serve the domain"
                    + " in the stream header's 'to')", err.title());
            assertEquals("error", a.connection(3).orElseThrow().state());
            NegotiationStep last = a.negotiation(3).get(a.negotiation(3).size() - 1);
            assertEquals("Connection ended after 3.0 ms: nowhere.example closed the stream, a.example did not answer;"
                    + " nowhere.example closed TCP", last.title());
        }
    }

    /** The closing step counts the silence from the last bytes either way (a whitespace keepalive is traffic too). */
    @Test
    void aStreamClosedLongAfterItsLastBytesSaysItWasSilent() {
        CaptureScript s = c2sToA(12, "127.0.0.1:44100", "alice@a.example", "s12")
                .toServer(12, 40_000, " ") // a whitespace keepalive
                .close(12, 100_000, dev.xmppscope.capture.CloseReason.SERVER_CLOSED);
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            NegotiationStep last = a.negotiation(12).get(a.negotiation(12).size() - 1);
            assertTrue(last.title().endsWith("; nothing crossed it in its last 60.0 s (an idle timeout?)"), last.title());
        }
    }

    @Test
    void aStanzaWithAnInvalidAddressIsFlagged() {
        CaptureScript s = new CaptureScript()
                .open(11, 0, "127.0.0.12:5222=127.0.0.2:5222", "127.0.0.1:44000")
                .toServer(11, 1, FederationFixture.clientHeader("a.example", "alice@a.example"))
                .toServer(11, 2, "<message to='bad:name@b.example' id='x'><body>hi</body></message>");
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            StanzaSummary m = a.stanzas(new StanzaQuery(null, null, "message", null, null, null, 11L, null, null, null, 5))
                    .items().get(0);
            assertEquals("invalid JID in 'to': forbidden character ':' in the localpart (RFC 7622 §3.3.1)",
                    a.stanza(m.ref()).orElseThrow().error());
        }
    }

    private static List<String> describe(Analyzer a) {
        List<String> out = new ArrayList<>();
        StanzaPage page = a.stanzas(StanzaQuery.all(1000));
        assertNotNull(page);
        page.items().forEach(s -> out.add(s.ref() + " " + s.kind() + " " + s.summary()));
        a.connections().forEach(c -> out.add(c.id() + " " + c.state() + " " + c.jid()));
        return out;
    }
}
