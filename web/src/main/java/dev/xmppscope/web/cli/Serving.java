package dev.xmppscope.web.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a command running until Ctrl-C (or SIGTERM), then closes what it started, newest first,
 * so the recorder flushes before the capture database closes.
 */
final class Serving {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final PrintWriter err;
    private volatile dev.xmppscope.web.WebServer web;

    Serving(PrintWriter err) {
        this.err = err;
    }

    <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    /** The web UI this command serves (set once it started). */
    dev.xmppscope.web.WebServer web() {
        return web;
    }

    void web(dev.xmppscope.web.WebServer server) {
        this.web = server;
    }

    /** Closes everything now (when starting fails half way, or a test is done). */
    void closeAll() {
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        resources.clear();
        for (AutoCloseable r : reversed) {
            try {
                r.close();
            } catch (Exception e) {
                // a lambda's class name ("ProxyCommand$$Lambda$65/0x...") means nothing to a user
                String what = r.getClass().isSynthetic() ? "" : " " + r.getClass().getSimpleName();
                err.println("xmppscope: while stopping" + what + ": " + e.getMessage());
                err.flush();
            }
        }
    }

    /** Blocks until the JVM is asked to stop. */
    int awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll();
            stopped.countDown();
        }, "xmppscope-shutdown"));
        stopped.await();
        return 0;
    }
}
