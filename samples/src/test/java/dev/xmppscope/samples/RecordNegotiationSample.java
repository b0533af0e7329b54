package dev.xmppscope.samples;

import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.ProsodyConfig;
import dev.xmppscope.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Records {@code negotiation.xscap}: one client's stream negotiation in full, with STARTTLS
 * intercepted by the proxy, SASL SCRAM-SHA-1 against hashed passwords, resource binding, stream
 * management (XEP-0198) enabled with resumption, acks, a dropped connection and its resumption.
 * Run by {@code samples/record.sh}, not by the test suite.
 */
class RecordNegotiationSample {
    @TempDir
    Path tmp;

    @Test
    void record() throws Exception {
        Federation.Builder servers = Federation.builder("a.example")
                .configure((domain, config) -> config.auth(ProsodyConfig.Auth.INTERNAL_HASHED).modules("smacks"))
                .user("a.example", "alice", "alice-secret").user("a.example", "bob", "bob-secret");
        try (SampleRecording rec = new SampleRecording("negotiation", tmp, servers)) {
            X509TrustManager trust = TestCertificates.trustManager(rec.proxy.ca().certificate());
            InetSocketAddress relay = rec.federation.relayC2s("a.example");
            XMPPTCPConnection alice = connection(relay, "alice", "alice-secret", trust);
            alice.connect().login();
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@a.example"))
                    .ofType(Message.Type.chat).setBody("Bob, this message is counted by stream management.").build());
            alice.requestSmAcknowledgement();
            Thread.sleep(1_000);
            // the network drops: no </stream:stream>, the server keeps the session for resumption
            alice.instantShutdown();
            Thread.sleep(1_000);
            alice.connect().login(); // Smack resumes with <resume previd=.../>
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@a.example"))
                    .ofType(Message.Type.chat).setBody("Back, on the same session: nothing was lost.").build());
            alice.requestSmAcknowledgement();
            Thread.sleep(1_000);
            alice.disconnect();
            rec.finish("Stream negotiation, step by step",
                    "STARTTLS (intercepted by the proxy), SASL SCRAM-SHA-1, resource binding, stream management "
                            + "(XEP-0198) enable with resumption, acks, a dropped connection and its resumption.");
        }
    }

    static XMPPTCPConnection connection(InetSocketAddress relay, String user, String password, X509TrustManager trust)
            throws Exception {
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("a.example").setHostAddress(relay.getAddress()).setPort(relay.getPort())
                .setUsernameAndPassword(user, password).setResource("phone")
                .setSecurityMode(SecurityMode.required).setCustomX509TrustManager(trust)
                .addEnabledSaslMechanism("SCRAM-SHA-1").setConnectTimeout(10_000).build();
        XMPPTCPConnection c = new XMPPTCPConnection(config);
        c.setUseStreamManagement(true);
        c.setUseStreamManagementResumption(true);
        c.setReplyTimeout(15_000);
        return c;
    }
}
