package dev.xmppscope.web;

import io.javalin.Javalin;
import java.util.Set;

/** Extra routes a command adds to the web app (e.g. replay controls for `demo` and `open`). */
@FunctionalInterface
public interface WebExtension {
    void register(Javalin app);

    /**
     * The optional views whose API this extension serves ({@link WebServer#REPLAY}, {@link
     * WebServer#DIFFS}): the web server answers for the others that there is none.
     */
    default Set<String> views() {
        return Set.of();
    }
}
