package dev.xmppscope.capture.pcap;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A tiny HTTP server beside an XMPP server, on the same address, as a capture of a real host holds
 * one: the pcap import must leave its TCP connections out and say so.
 */
public final class HttpBeside implements AutoCloseable {
    private final HttpServer server;

    private HttpBeside(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code host}, on a free port, answering every request with 200 "ok". */
    public static HttpBeside start(InetAddress host) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
            exchange.close();
        });
        server.start();
        return new HttpBeside(server);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** One GET over its own TCP connection; the status it answered. */
    public int get() throws IOException {
        InetSocketAddress a = address();
        HttpURLConnection get = (HttpURLConnection) new URL("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/")
                .openConnection();
        try {
            return get.getResponseCode();
        } finally {
            get.disconnect();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
