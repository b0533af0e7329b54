package dev.xmppscope.web.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Keeps a command running until Ctrl-C (or SIGTERM), then closes what it started, newest first,
 * so the recorder flushes before the capture database closes.
 */
final class Serving {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final PrintWriter err;
    private volatile dev.xmppscope.web.WebServer web;
    /** What ended the command from a background task ({@link #fail}), or null. */
    private volatile RuntimeException failure;

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

    /** Closes everything now (at shutdown, or when a test is done), saying what fails to close. */
    void closeAll() {
        close(e -> {
            // a lambda's class name ("ProxyCommand$$Lambda$65/0x...") means nothing to a user
            String what = e.resource().getClass().isSynthetic() ? "" : " " + e.resource().getClass().getSimpleName();
            err.println("xmppscope: while stopping" + what + ": " + e.failure().getMessage());
            err.flush();
        });
    }

    /**
     * Closes everything after {@code failure} stopped a start half way: what fails to close then
     * (often for the same reason: a full disk) goes with the failure instead of being printed.
     */
    RuntimeException closeAfter(RuntimeException failure) {
        close(e -> {
            if (e.failure() != failure) { // a resource may rethrow the very failure that stopped the start
                failure.addSuppressed(e.failure());
            }
        });
        return failure;
    }

    private record CloseFailure(AutoCloseable resource, Exception failure) {
    }

    /**
     * Ends the command with {@code failure}, met by a task it runs in the background: as a failure
     * of its start would, it is said once (by the caller of {@link #awaitShutdown}) and exits 1.
     */
    void fail(RuntimeException failure) {
        this.failure = failure;
        stopped.countDown();
    }

    /** Closes the resources newest first, handing each failure to {@code onFailure}. */
    private synchronized void close(Consumer<CloseFailure> onFailure) {
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        resources.clear();
        for (AutoCloseable r : reversed) {
            try {
                r.close();
            } catch (Exception e) {
                onFailure.accept(new CloseFailure(r, e));
            }
        }
    }

    /** Blocks until the JVM is asked to stop, or throws what {@link #fail} ended the command with. */
    int awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll();
            stopped.countDown();
        }, "xmppscope-shutdown"));
        stopped.await();
        if (failure != null) {
            throw closeAfter(failure);
        }
        return 0;
    }
}
