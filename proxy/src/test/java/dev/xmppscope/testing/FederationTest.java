package dev.xmppscope.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself, without any proxy: real Prosody servers federate over the loopback DNS. */
class FederationTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void twoServersFederateThroughTheLoopbackDnsAndClientsConnectInEveryWay() {
        try (Federation fed = Federation.builder("a.example", "b.example").relayed(false)
                .user("a.example", "alice", "alice-secret").user("b.example", "bob", "bob-secret")
                .start(tmp)) {
            ProsodyServer a = fed.server("a.example");
            ProsodyServer b = fed.server("b.example");
            String body = "hello across s2s " + UUID.randomUUID();
            try (XmppClient bob = XmppClient.options("b.example", b.directTls())
                    .directTls(b.certificate().trustManager()).login("bob", "bob-secret");
                 XmppClient alice = XmppClient.options("a.example", a.c2s()).saslMechanism("PLAIN")
                         .login("alice", "alice-secret")) {
                alice.send("bob@b.example", body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + fed.diagnostics(), e);
            }
            try (XmppClient alice = XmppClient.options("a.example", a.c2s())
                    .startTls(a.certificate().trustManager()).login("alice", "alice-secret")) {
                assertTrue(alice.isSecureConnection(), "STARTTLS negotiated");
                String fromSlixmpp = "from slixmpp " + UUID.randomUUID();
                SlixmppClient.Result r = SlixmppClient.of(tmp.resolve("slix"), "bob@b.example", "bob-secret", b.c2s(),
                        SlixmppClient.Mode.STARTTLS).trust(b.certificate().certificate())
                        .send("alice@a.example", fromSlixmpp).run();
                assertTrue(r.succeeded(), r.output());
                alice.awaitMessage(fromSlixmpp, Duration.ofSeconds(20));
            }
            assertTrue(fed.dns().logTail(200).contains("b.example"), "Prosody asked the loopback DNS for b.example");
        }
    }

    @Test
    void everyServerOptionProducesAWorkingProsody() {
        try (Federation fed = Federation.builder("a.example", "b.example").relayed(false).sharedCa(true)
                .configure((domain, config) -> config.auth(ProsodyConfig.Auth.INTERNAL_HASHED)
                        .c2sRequireEncryption(true).s2sRequireEncryption(true).s2sSecureAuth(true)
                        .modules("smacks", "carbons", "mam", "csi_simple", "s2s_bidi", "ping").muc("conference." + domain))
                .user("a.example", "alice", "alice-secret").user("b.example", "bob", "bob-secret")
                .start(tmp)) {
            var trust = fed.ca().trustManager();
            String body = "secure s2s " + UUID.randomUUID();
            try (XmppClient bob = XmppClient.options("b.example", fed.server("b.example").c2s()).startTls(trust)
                    .login("bob", "bob-secret");
                 XmppClient alice = XmppClient.options("a.example", fed.server("a.example").c2s()).startTls(trust)
                         .login("alice", "alice-secret")) {
                alice.send("bob@b.example", body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
            } catch (AssertionError | IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "\n" + fed.diagnostics(), e);
            }
            String log = fed.server("a.example").log();
            assertTrue(log.contains("conference.a.example"), "the MUC component was activated");
        }
    }
}
