package dev.xmppscope.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Raw-socket XMPP peers for byte-level tests (a real server cannot send arbitrary bytes): the
 * client opens a stream and asks for STARTTLS, the server proceeds; either side then wraps its
 * socket in TLS by hand. Reads go byte by byte during negotiation so no TLS byte is consumed early.
 */
final class RawXmppPeer {
    static final String DOMAIN = "echo.example";
    static final String CLIENT_HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='" + DOMAIN + "' version='1.0'>";
    static final String STARTTLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
    static final String SERVER_HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='" + DOMAIN + "' id='raw1' version='1.0'>"
            + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>";
    static final String PROCEED = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";

    private RawXmppPeer() {
    }

    /** Client side of STARTTLS: returns the TLS socket once the handshake is done. */
    static SSLSocket clientStartTls(Socket s, SSLContext ctx) throws IOException {
        s.getOutputStream().write((CLIENT_HEADER + STARTTLS).getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        readUntil(s.getInputStream(), PROCEED);
        return clientTls(s, ctx);
    }

    /** Server side of STARTTLS. */
    static SSLSocket serverStartTls(Socket s, SSLContext ctx) throws IOException {
        readUntil(s.getInputStream(), STARTTLS);
        s.getOutputStream().write((SERVER_HEADER + PROCEED).getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return serverTls(s, ctx);
    }

    static SSLSocket clientTls(Socket s, SSLContext ctx) throws IOException {
        return clientTls(s, ctx, true);
    }

    /** Client TLS; without SNI the client still checks that the certificate names the domain, by hand. */
    static SSLSocket clientTls(Socket s, SSLContext ctx, boolean sni) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) s.getRemoteSocketAddress();
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(s, DOMAIN, remote.getPort(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setServerNames(sni ? List.of(new SNIHostName(DOMAIN)) : List.of());
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the presented certificate must name the domain
        tls.setSSLParameters(p);
        tls.setUseClientMode(true);
        tls.startHandshake();
        return tls;
    }

    static SSLSocket serverTls(Socket s, SSLContext ctx) throws IOException {
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(s, null, s.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        return tls;
    }

    /** Reads byte by byte until {@code marker} has been read; returns everything read. */
    static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("stream ended before '" + marker + "'; got: " + seen);
            }
            seen.write(b);
            if (seen.toString(StandardCharsets.UTF_8).endsWith(marker)) {
                return seen.toString(StandardCharsets.UTF_8);
            }
        }
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
