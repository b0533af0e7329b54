package dev.xmppscope.web;

import io.javalin.http.Context;

/**
 * Headers on every response. The CSP allows scripts and styles only from this server (no inline
 * script, no eval), so even a rendering mistake cannot run code that arrived on the wire.
 */
final class SecurityHeaders {
    /**
     * The one inline style allowed, by its hash: the {@code <style>} cytoscape adds to the page
     * ({@code .__________cytoscape_container { position: relative; }}). Blocked, it was an error
     * in the browser's console on every page load.
     */
    static final String CYTOSCAPE_STYLE = "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='";

    static final String CSP = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' " + CYTOSCAPE_STYLE,
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");

    private SecurityHeaders() {
    }

    static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }
}
