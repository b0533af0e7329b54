package dev.xmppscope.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A client that writes XMPP by hand over a plain socket, for what real clients will not do:
 * address a domain the server does not host, or log in and then ignore every request.
 */
final class RawXmppClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final StringBuilder received = new StringBuilder();

    RawXmppClient(InetSocketAddress to) throws IOException {
        socket = new Socket();
        socket.connect(to, 5_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads until the received text contains {@code marker}; returns everything received so far. */
    String awaitText(String marker) throws IOException {
        byte[] buf = new byte[8192];
        while (received.indexOf(marker) < 0) {
            int n = in.read(buf);
            if (n < 0) {
                return received.toString();
            }
            received.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return received.toString();
    }

    void openStream(String domain) throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='" + domain + "' version='1.0'>");
    }

    /** Header, SASL PLAIN (plaintext: the proxy masks the password in the capture), bind, presence. */
    void login(String domain, String user, String password, String resource) throws IOException {
        openStream(domain);
        awaitText("</stream:features>");
        String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain + "</auth>");
        awaitText("<success");
        received.setLength(0);
        openStream(domain);
        awaitText("</stream:features>");
        send("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>");
        awaitText("</iq>");
        send("<presence/>");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
