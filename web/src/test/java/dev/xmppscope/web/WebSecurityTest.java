package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Who may talk to the UI: loopback Host names, the access token, the WebSocket's origin. */
class WebSecurityTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    private static WebServer start(WebOptions options) {
        return WebServer.start(options, ModelSource.fixed(SyntheticFederation.build()), List.of());
    }

    private static HttpResponse<String> get(WebServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WebSocket connect(WebServer s, String query, String origin) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder();
        if (origin != null) {
            b.header("Origin", origin);
        }
        return b.buildAsync(URI.create("ws://127.0.0.1:" + s.port() + "/api/live" + query), new WebSocket.Listener() { })
                .orTimeout(5, TimeUnit.SECONDS).join();
    }

    @Test
    void aNonLoopbackBindCannotStartWithoutAToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WebOptions("0.0.0.0", 8080, null));
        assertTrue(e.getMessage().contains("requires an access token"));
        WebOptions parsed = WebOptions.parse("0.0.0.0:8080");
        assertTrue(parsed.requiresToken(), "parse makes a token for a non-loopback bind");
        assertEquals(null, WebOptions.parse("127.0.0.1:8080").accessToken());
        assertEquals("::1", WebOptions.parse("[::1]:9000").host());
    }

    @Test
    void theUrlPrintedForAUiOnEveryAddressIsOneToVisit() {
        assertEquals("http://127.0.0.1:8080/?token=t", WebServer.url("0.0.0.0", 8080, "t"), "0.0.0.0 is no address to visit");
        assertEquals("http://127.0.0.1:8080/?token=t", WebServer.url("::", 8080, "t"));
        assertEquals("http://[::1]:9000/", WebServer.url("::1", 9000, null));
        assertEquals("http://192.0.2.7:8080/?token=t", WebServer.url("192.0.2.7", 8080, "t"));
    }

    @Test
    void onLoopbackOnlyLoopbackHostNamesAreServed() throws Exception {
        try (WebServer s = start(WebOptions.loopback(0))) {
            assertEquals(200, get(s, "/api/graph").statusCode());
            // a page elsewhere that re-points its own name at 127.0.0.1 (DNS rebinding) is refused
            var sock = new java.net.Socket("127.0.0.1", s.port());
            sock.getOutputStream().write(("GET /api/graph HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n").getBytes());
            String answer = new String(sock.getInputStream().readAllBytes());
            sock.close();
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        }
    }

    @Test
    void withATokenEveryRequestMustCarryIt() throws Exception {
        try (WebServer s = start(WebOptions.loopback(0).withNewToken())) {
            String token = s.options().accessToken();
            assertTrue(s.url().endsWith("/?token=" + token), s.url());
            assertEquals(401, get(s, "/api/graph").statusCode());
            assertEquals(401, get(s, "/").statusCode());
            assertEquals(401, get(s, "/assets/js/app.js").statusCode());
            assertEquals(401, get(s, "/api/graph?token=wrong").statusCode());
            assertEquals(200, get(s, "/api/graph", "Authorization", "Bearer " + token).statusCode());
            HttpResponse<String> first = get(s, "/?token=" + token);
            assertEquals(200, first.statusCode());
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            assertEquals(200, get(s, "/api/connections", "Cookie", cookie.split(";")[0]).statusCode());

            CompletionException refused = assertThrows(CompletionException.class, () -> connect(s, "", null));
            assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
            connect(s, "?token=" + token, null).abort();
        }
    }

    @Test
    void theLiveSocketRefusesOtherOrigins() throws Exception {
        try (WebServer s = start(WebOptions.loopback(0))) {
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> connect(s, "", "http://attacker.example"));
            assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
            connect(s, "", "http://127.0.0.1:" + s.port()).abort();
        }
    }
}
