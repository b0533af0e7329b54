package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.testing.Federation;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server dialback (XEP-0220) between two real Prosody servers through the recording proxy, as an
 * educator shows it: the receiving server checks each key with the sender's domain over a stream
 * of its own, and a forged key (someone on a raw socket claiming to be b.example) is caught there.
 * Each check names the connection whose key it checks, each outcome the connection it was checked
 * on, and a key found forged fails the forger's stream, not the healthy one the check crossed.
 */
class LiveDialbackTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aForgedKeyFailsTheForgersStreamAndEachCheckNamesTheConnectionItIsAbout() throws Exception {
        String body = "dialback first " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob(), tmp)) {
            Analyzer analyzer = fed.analyzer;
            fed.messageAcross(body);
            String refusal = forgeKey(fed.servers);
            assertTrue(refusal.contains("type='invalid'") || refusal.contains("type=\"invalid\""),
                    "a.example refuses the forged key: " + refusal);

            ConnectionView forged = fed.awaitConnection(c -> "s2s".equals(c.kind()) && "error".equals(c.state()),
                    "the forged stream failed");
            ConnectionView aToB = only(analyzer, c -> "s2s".equals(c.kind()) && "a.example".equals(c.streamFrom()));
            ConnectionView bToA = only(analyzer, c -> "s2s".equals(c.kind()) && "b.example".equals(c.streamFrom())
                    && c.id() != forged.id());
            assertEquals("a.example rejects b.example (dialback invalid, checked with b.example on connection " + aToB.id() + ")",
                    forged.error());

            // the check crossed a.example's healthy stream to b.example: that stream did not fail
            assertNull(aToB.error(), aToB.toString());
            assertEquals("established", aToB.state());
            GraphEdge edge = analyzer.graph().edges().stream().filter(e -> e.id().equals("s2s:" + aToB.id())).findFirst().orElseThrow();
            assertNull(edge.error(), edge.toString());
            List<NegotiationStep> checks = analyzer.negotiation(aToB.id()).stream()
                    .filter(s -> s.step().equals("dialback-verify")).toList();
            NegotiationStep caught = checks.get(checks.size() - 1);
            assertTrue(caught.title().startsWith("b.example says the key on connection " + forged.id() + " (stream "), caught.title());
            assertTrue(caught.title().endsWith(") is invalid: a.example must refuse that stream"), caught.title());
            assertEquals("warning", caught.status());
            assertTrue(checks.stream().anyMatch(s -> s.title().startsWith(
                    "a.example asks b.example to confirm the dialback key it received on connection " + forged.id() + " (stream ")),
                    names(checks));

            // the genuine key: b.example's own stream to a.example, checked on a.example's to b.example
            assertTrue(checks.stream().anyMatch(s -> s.title().startsWith("b.example confirms the key on connection " + bToA.id())
                    && s.status().equals("ok")), names(checks));
            assertTrue(analyzer.negotiation(bToA.id()).stream().anyMatch(s -> s.title().equals(
                    "a.example accepts b.example (dialback valid, checked with b.example on connection " + aToB.id() + ")")),
                    names(analyzer.negotiation(bToA.id())));
        }
    }

    /**
     * With XEP-0288 (Prosody's s2s_bidi) each server asks to use its stream both ways: a step of
     * its own, said where it happens, before its dialback.
     */
    @Test
    void aRequestForABidirectionalStreamIsAStep() throws Exception {
        String body = "both ways " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob()
                .configure((domain, config) -> config.modules("s2s_bidi")), tmp)) {
            Analyzer analyzer = fed.analyzer;
            fed.messageAcross(body);
            ConnectionView aToB = fed.awaitConnection(c -> "s2s".equals(c.kind()) && "a.example".equals(c.streamFrom())
                    && "established".equals(c.state()), "a.example's stream to b.example established");
            List<String> steps = analyzer.negotiation(aToB.id()).stream().map(NegotiationStep::step).toList();
            int bidi = steps.indexOf("bidi");
            assertTrue(bidi > steps.indexOf("restart") && bidi < steps.indexOf("dialback-result"), steps.toString());
            assertEquals("a.example asks to use this stream both ways: b.example may send its stanzas back on it (XEP-0288)",
                    analyzer.negotiation(aToB.id()).get(bidi).title());
        }
    }

    /**
     * Claims to be b.example to a.example's relay and, once a.example has answered with its stream
     * id (as a real server waits for it: the key is made from it), sends a made-up key; returns
     * what a.example answered.
     */
    private static String forgeKey(Federation servers) throws Exception {
        try (Socket s = new Socket(servers.relayAddress("a.example"), Federation.S2S)) {
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                    + " xmlns:db='jabber:server:dialback' from='b.example' to='a.example' version='1.0'>")
                    .getBytes(StandardCharsets.UTF_8));
            String features = readUntil(in, "</stream:features>");
            out.write("<db:result from='b.example' to='a.example'>0123456789abcdef</db:result>".getBytes(StandardCharsets.UTF_8));
            String answer = readUntil(in, "db:result type=");
            out.write("</stream:stream>".getBytes(StandardCharsets.UTF_8));
            return features + answer;
        }
    }

    private static String readUntil(InputStream in, String text) throws Exception {
        StringBuilder read = new StringBuilder();
        byte[] buf = new byte[4096];
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!read.toString().contains(text) && System.nanoTime() < deadline) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                read.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            } catch (java.net.SocketTimeoutException e) {
                // nothing yet: a.example is still answering (checking the key with b.example takes a round trip)
            }
        }
        return read.toString();
    }


    private static ConnectionView only(Analyzer a, Predicate<ConnectionView> p) {
        List<ConnectionView> found = a.connections().stream().filter(p).toList();
        assertEquals(1, found.size(), "exactly one such connection among " + a.connections());
        return found.get(0);
    }

    private static String names(List<NegotiationStep> steps) {
        return steps.stream().map(s -> s.step() + "(" + s.status() + ": " + s.title() + ")").toList().toString();
    }
}
