package dev.xmppscope.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.SimpleIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A real Smack 4.4 client for tests. It connects to an IP literal ({@code setXmppDomain} +
 * {@code setHostAddress} + {@code setPort}: no DNS at all), in one of three ways: plaintext,
 * STARTTLS with a caller-given trust manager, or Direct TLS (XEP-0368, TLS from the first byte,
 * SNI = the domain). Incoming messages queue up for {@link #awaitMessage}.
 *
 * <pre>
 * try (XmppClient alice = XmppClient.options("a.example", relay).startTls(ca.trustManager())
 *         .login("alice", "secret")) {
 *     alice.send("bob@b.example", "hello");
 * }
 * </pre>
 */
public final class XmppClient implements AutoCloseable {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);

    private final XMPPTCPConnection connection;
    private final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private final List<Message> seen = new ArrayList<>();

    private XmppClient(XMPPTCPConnection connection) {
        this.connection = connection;
        connection.addAsyncStanzaListener(stanza -> inbox.add((Message) stanza), StanzaTypeFilter.MESSAGE);
    }

    /** How a client connects to {@code domain} at {@code endpoint}. */
    public static Options options(String domain, InetSocketAddress endpoint) {
        return new Options(domain, endpoint);
    }

    /** Connection settings; ends with {@link #login}. */
    public static final class Options {
        private final String domain;
        private final InetSocketAddress endpoint;
        private SecurityMode security = SecurityMode.disabled;
        private X509TrustManager trustManager;
        private boolean directTls;
        private final List<String> mechanisms = new ArrayList<>();
        private String resource = "test";
        private TestCertificates.Issued certificate;

        private Options(String domain, InetSocketAddress endpoint) {
            this.domain = domain;
            this.endpoint = endpoint;
        }

        /** Plaintext (the default): STARTTLS disabled. */
        public Options plaintext() {
            security = SecurityMode.disabled;
            directTls = false;
            return this;
        }

        /** STARTTLS required, trusting only {@code trust} (e.g. the xmppscope CA, or the server's self-signed cert). */
        public Options startTls(X509TrustManager trust) {
            security = SecurityMode.required;
            trustManager = trust;
            directTls = false;
            return this;
        }

        /** Direct TLS (XEP-0368) from the first byte, SNI set to the domain, trusting only {@code trust}. */
        public Options directTls(X509TrustManager trust) {
            security = SecurityMode.disabled;
            trustManager = trust;
            directTls = true;
            return this;
        }

        /** Restricts SASL to the named mechanisms, e.g. "PLAIN" (so a password crosses the wire). */
        public Options saslMechanism(String... names) {
            mechanisms.addAll(List.of(names));
            return this;
        }

        /** Presents {@code certificate} as the client's own when the TLS server asks for one. */
        public Options clientCertificate(TestCertificates.Issued certificate) {
            this.certificate = certificate;
            return this;
        }

        public Options resource(String resource) {
            this.resource = resource;
            return this;
        }

        /** Connects and logs in; fails with the server's or Smack's reason. */
        public XmppClient login(String user, String password) {
            XMPPTCPConnection c = null;
            try {
                XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                        .setXmppDomain(domain)
                        .setHostAddress(endpoint.getAddress())
                        .setPort(endpoint.getPort())
                        .setUsernameAndPassword(user, password)
                        .setResource(resource)
                        .setSecurityMode(security)
                        .setConnectTimeout(10_000)
                        .setSendPresence(true);
                if (trustManager != null && !directTls) {
                    b.setCustomX509TrustManager(trustManager);
                }
                if (certificate != null) {
                    b.setKeyManagers(certificate.keyManagers());
                }
                if (directTls) {
                    b.setSocketFactory(new DirectTlsSocketFactory(TestCertificates.clientContext(trustManager), domain));
                }
                if (!mechanisms.isEmpty()) {
                    b.addEnabledSaslMechanism(mechanisms);
                }
                c = new XMPPTCPConnection(b.build());
                c.setReplyTimeout(REPLY_TIMEOUT.toMillis());
                XmppClient client = new XmppClient(c);
                c.connect().login();
                return client;
            } catch (SmackException | IOException | XMPPException e) {
                if (c != null) {
                    c.disconnect();
                }
                throw new IllegalStateException(user + "@" + domain + " could not log in via " + endpoint + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while logging in " + user + "@" + domain, e);
            }
        }
    }

    /** The full JID the server bound. */
    public EntityFullJid jid() {
        return connection.getUser();
    }

    /** Whether the stream runs over TLS (STARTTLS done); false for Direct TLS, which Smack does not see. */
    public boolean isSecureConnection() {
        return connection.isSecureConnection();
    }

    public XMPPTCPConnection connection() {
        return connection;
    }

    /** Sends a chat message with {@code body} to {@code to} (a bare or full JID). */
    public void send(String to, String body) {
        try {
            Message m = connection.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from(to))
                    .ofType(Message.Type.chat)
                    .setBody(body)
                    .build();
            connection.sendStanza(m);
        } catch (SmackException.NotConnectedException | org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalStateException("cannot send to " + to + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending to " + to, e);
        }
    }

    /** Turns message carbons on (XEP-0280); the Smack used here has no carbons manager. */
    public XmppClient enableCarbons() {
        return request(new ServerRequest("enable", "urn:xmpp:carbons:2"), "enable carbons");
    }

    /**
     * Asks the server's archive for all of this user's messages (XEP-0313, {@code urn:xmpp:mam:2}):
     * they arrive as messages, before the answer this waits for. The Smack used here has no MAM manager.
     */
    public XmppClient fetchArchive() {
        return request(new ServerRequest("query", "urn:xmpp:mam:2"), "query the archive");
    }

    private XmppClient request(IQ iq, String what) {
        try {
            connection.createStanzaCollectorAndSend(iq).nextResultOrThrow();
            return this;
        } catch (SmackException | XMPPException e) {
            throw new IllegalStateException(jid() + " could not " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }

    /** An empty {@code <iq type='set'>} request to the user's own server: {@code <NAME xmlns='NS'/>}. */
    private static final class ServerRequest extends SimpleIQ {
        ServerRequest(String name, String namespace) {
            super(name, namespace);
            setType(IQ.Type.set);
        }
    }

    /** Waits for a message whose body equals {@code body}; fails with what did arrive. */
    public Message awaitMessage(String body, Duration timeout) {
        return awaitMessage(m -> body.equals(m.getBody()), "body '" + body + "'", timeout);
    }

    /** Waits for a message matching {@code condition}; fails listing every message that arrived. */
    public Message awaitMessage(Predicate<Message> condition, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Message m : seen) {
                if (condition.test(m)) {
                    seen.remove(m);
                    return m;
                }
            }
            while (true) {
                long left = deadline - System.nanoTime();
                Message m = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError(jid() + " got no message with " + description + " within " + timeout.toMillis()
                            + " ms; got: " + seen.stream().map(Message::getBody).toList());
                }
                if (condition.test(m)) {
                    return m;
                }
                seen.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a message", e);
        }
    }

    @Override
    public void close() {
        connection.disconnect();
    }

    /** Hands Smack sockets that speak TLS from the first byte, with SNI naming the XMPP domain. */
    private static final class DirectTlsSocketFactory extends SocketFactory {
        private final SSLContext context;
        private final String domain;

        DirectTlsSocketFactory(SSLContext context, String domain) {
            this.context = context;
            this.domain = domain;
        }

        @Override
        public Socket createSocket() throws IOException {
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(domain)));
            s.setSSLParameters(p);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return connected(new InetSocketAddress(address, port));
        }

        private Socket connected(InetSocketAddress to) throws IOException {
            Socket s = createSocket();
            s.connect(to, 10_000);
            return s;
        }
    }
}
