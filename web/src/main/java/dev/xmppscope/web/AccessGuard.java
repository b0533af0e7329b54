package dev.xmppscope.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.SameSite;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.Cookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Decides who may talk to the UI. On a loopback bind the Host header must name loopback too
 * (so a web page elsewhere cannot reach it through DNS rebinding). With an access token, every
 * request carries it: once as {@code ?token=} (the printed URL), then as a cookie, or as
 * {@code Authorization: Bearer}. WebSocket upgrades must also come from the UI's own origin.
 */
final class AccessGuard {

    static final String COOKIE = "xmppscope_token";

    private final WebOptions options;

    AccessGuard(WebOptions options) {
        this.options = options;
    }

    void checkRequest(Context ctx) {
        checkHost(ctx);
        if (!options.requiresToken()) {
            return;
        }
        String query = ctx.queryParam("token");
        if (query != null && matches(query)) {
            Cookie cookie = new Cookie(COOKIE, options.accessToken());
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.STRICT);
            cookie.setPath("/");
            ctx.cookie(cookie);
            return;
        }
        String auth = ctx.header("Authorization");
        if (auth != null && auth.startsWith("Bearer ") && matches(auth.substring(7).trim())) {
            return;
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie != null && matches(cookie)) {
            return;
        }
        throw new UnauthorizedResponse("this xmppscope needs its access token: open the URL it printed at start"
                + " (…/?token=…) or send 'Authorization: Bearer TOKEN'");
    }

    /** A WebSocket upgrade: the request checks plus a same-origin check (browsers always send Origin). */
    void checkUpgrade(Context ctx) {
        checkRequest(ctx);
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin != null && !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
            throw new ForbiddenResponse("WebSocket origin " + origin + " is not this xmppscope (" + host + ")");
        }
    }

    private void checkHost(Context ctx) {
        if (!WebOptions.isLoopback(options.host()) || options.requiresToken()) {
            return; // a token guards non-loopback binds; their Host names are the user's business
        }
        String host = ctx.header("Host");
        if (host == null || !WebOptions.isLoopback(stripPort(host))) {
            throw new ForbiddenResponse("xmppscope on loopback answers only to loopback host names, not '" + host + "'");
        }
    }

    private static String stripPort(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            return close < 0 ? hostHeader : hostHeader.substring(1, close);
        }
        int colon = hostHeader.lastIndexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }

    private boolean matches(String candidate) {
        return MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8),
                options.accessToken().getBytes(StandardCharsets.UTF_8));
    }
}
