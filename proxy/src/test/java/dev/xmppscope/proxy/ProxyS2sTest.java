package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.ConnectionRecord;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real Prosody servers federate through the proxy: the loopback DNS sends each domain to
 * the proxy's address, so the s2s streams (both directions, dialback included) cross it.
 */
class ProxyS2sTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void plaintextS2sStreamsCarryTheMessageAndDialback() {
        try (Federation fed = Federation.builder("a.example", "b.example")
                .configure((domain, config) -> config.s2sEncryption(false))
                .user("a.example", "alice", "pw-a").user("b.example", "bob", "pw-b").start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH,
                     true, false)) {
            String body = "over plaintext s2s " + UUID.randomUUID();
            exchange(fed, body, null);
            RecordingProxy.Capture c = proxy.awaitCapture(cap -> s2sCarrying(cap, body) != null, "an s2s stream with the message");
            ConnectionRecord s2s = s2sCarrying(c, body);
            String fromA = c.text(s2s.id(), Direction.TO_SERVER, TlsLayer.PLAIN);
            assertTrue(fromA.contains("to='b.example'") || fromA.contains("to=\"b.example\""), fromA);
            assertTrue(c.connections.stream().anyMatch(r -> c.xml(r.id(), Direction.TO_SERVER).contains("db:result")
                    || c.xml(r.id(), Direction.TO_SERVER).contains("db:verify")), "dialback crossed the proxy\n" + c);
        }
    }

    @Test
    void interceptedS2sStartTlsRecordsThePlaintextInside() {
        try (Federation fed = Federation.builder("a.example", "b.example")
                .configure((domain, config) -> config.modules("s2s_bidi"))
                .user("a.example", "alice", "pw-a").user("b.example", "bob", "pw-b").start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.INTERCEPT,
                     true, false)) {
            String body = "over intercepted s2s " + UUID.randomUUID();
            String reply = "reply over s2s " + UUID.randomUUID();
            exchange(fed, body, reply);
            RecordingProxy.Capture c = proxy.awaitCapture(cap -> s2sCarrying(cap, body) != null, "an s2s stream with the message");
            ConnectionRecord s2s = s2sCarrying(c, body);
            assertTrue(c.text(s2s.id(), Direction.TO_SERVER, TlsLayer.PLAIN).contains("<starttls"), c.toString());
            assertTrue(c.text(s2s.id(), Direction.TO_SERVER, TlsLayer.DECRYPTED).contains(body));
            assertFalse(c.events(s2s.id(), EventKind.TLS_ESTABLISHED).isEmpty());
        }
    }

    @Test
    void interceptedS2sWorksWithSecureAuthWhenServersTrustXmppscopesCa() {
        // the proxy's CA exists first, so the servers can be told to trust it
        CertificateAuthority proxyCa = CertificateAuthority.loadOrCreate(tmp.resolve("proxy").resolve("ca"));
        try (Federation fed = Federation.builder("a.example", "b.example").sharedCa(true)
                .configure((domain, config) -> config.s2sSecureAuth(true).s2sRequireEncryption(true)
                        .trust(proxyCa.certificate()))
                .user("a.example", "alice", "pw-a").user("b.example", "bob", "pw-b").start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.INTERCEPT,
                     true, false)) {
            String body = "over secure intercepted s2s " + UUID.randomUUID();
            exchange(fed, body, null);
            RecordingProxy.Capture c = proxy.awaitCapture(cap -> s2sCarrying(cap, body) != null, "an s2s stream with the message");
            ConnectionRecord s2s = s2sCarrying(c, body);
            assertTrue(c.text(s2s.id(), Direction.TO_SERVER, TlsLayer.DECRYPTED).contains(body));
        }
    }

    private static void exchange(Federation fed, String body, String reply) {
        try (XmppClient bob = XmppClient.options("b.example", fed.relayC2s("b.example")).login("bob", "pw-b");
             XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).login("alice", "pw-a")) {
            alice.send("bob@b.example", body);
            try {
                bob.awaitMessage(body, WAIT);
                if (reply != null) {
                    bob.send("alice@a.example", reply);
                    alice.awaitMessage(reply, WAIT);
                }
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + fed.diagnostics(), e);
            }
        }
    }

    private static ConnectionRecord s2sCarrying(RecordingProxy.Capture c, String body) {
        List<ConnectionRecord> s2s = c.connections.stream().filter(r -> r.opened().route().contains(":5269=")).toList();
        return s2s.stream().filter(r -> c.xml(r.id(), Direction.TO_SERVER).contains(body)).findFirst().orElse(null);
    }
}
