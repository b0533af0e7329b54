package dev.xmppscope.samples;

import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Records {@code failures.xscap}: what going wrong looks like. A wrong password (SASL failure),
 * a stream to a domain the server does not host (stream error host-unknown), a message to a
 * domain that does not exist (remote-server-not-found), and an IQ that never gets an answer
 * (its target ignores it), followed by more than 30 s of silence so the analyzer marks it
 * unanswered. Run by {@code samples/record.sh}, not by the test suite.
 */
class RecordFailuresSample {
    @TempDir
    Path tmp;

    @Test
    void record() throws Exception {
        Federation.Builder servers = Federation.builder("a.example", "b.example")
                .user("a.example", "alice", "alice-secret").user("b.example", "mute", "mute-secret");
        try (SampleRecording rec = new SampleRecording("failures", tmp, servers)) {
            Federation fed = rec.federation;
            // 1. a wrong password: the server answers <failure><not-authorized/></failure>
            try (XmppClient wrong = XmppClient.options("a.example", fed.relayC2s("a.example")).saslMechanism("PLAIN")
                    .login("alice", "not-her-password")) {
                throw new AssertionError("the wrong password was accepted: " + wrong.jid());
            } catch (IllegalStateException expected) {
                System.out.println("wrong password refused as expected: " + expected.getMessage());
            }
            // 2. a stream to a domain this server does not host: <stream:error><host-unknown/>
            try (RawXmppClient raw = new RawXmppClient(fed.relayC2s("a.example"))) {
                raw.openStream("nobody.example");
                raw.awaitText("</stream:stream>");
            }
            try (RawXmppClient mute = new RawXmppClient(fed.relayC2s("b.example"));
                 XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).saslMechanism("PLAIN")
                         .login("alice", "alice-secret")) {
                mute.login("b.example", "mute", "mute-secret", "silent");
                // 3. a domain nobody serves: a.example cannot resolve it and bounces the message
                alice.send("someone@unreachable.example", "Is anybody there?");
                Thread.sleep(2_000);
                // 4. an IQ to a client that never answers it
                Ping ping = new Ping(JidCreate.from("mute@b.example/silent"));
                ping.setType(IQ.Type.get);
                alice.connection().sendStanza(ping);
                Thread.sleep(31_000); // the analyzer calls an IQ unanswered after 30 s
                alice.send("mute@b.example/silent", "Still waiting for your answer to my ping.");
                Thread.sleep(1_000);
            }
            rec.finish("When things go wrong",
                    "A wrong password (SASL not-authorized), a stream error (host-unknown), a message to a domain "
                            + "that does not exist (remote-server-not-found), and an IQ that never gets an answer.");
        }
    }

    static final Duration WAIT = Duration.ofSeconds(20);
}
