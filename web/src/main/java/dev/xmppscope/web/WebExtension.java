package dev.xmppscope.web;

import io.javalin.Javalin;

/** Extra routes a command adds to the web app (e.g. replay controls for `demo` and `open`). */
@FunctionalInterface
public interface WebExtension {
    void register(Javalin app);
}
