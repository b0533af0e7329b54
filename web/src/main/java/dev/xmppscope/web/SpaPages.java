package dev.xmppscope.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The UI's page URLs (deep links): each serves the single-page app, which reads its own path. */
final class SpaPages {

    static final String[] PATHS = {"/", "/connections", "/connections/{id}", "/stanzas/{ref}"};

    private final byte[] index;

    SpaPages() {
        try (InputStream in = SpaPages.class.getResourceAsStream("/web/index.html")) {
            if (in == null) {
                throw new IllegalStateException("the UI is missing from the classpath (/web/index.html): rebuild xmppscope");
            }
            index = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the UI's index.html", e);
        }
    }

    void register(Javalin app) {
        for (String path : PATHS) {
            app.get(path, this::serve);
        }
    }

    private void serve(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache").result(index);
    }
}
