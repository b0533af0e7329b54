package dev.xmppscope.replay.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * A one-connection TCP relay in front of a server that counts the bytes the client has sent
 * through it: a test's window on what went onto the wire, independent of what was recorded.
 */
final class CountingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress server;
    private long toServer;
    private volatile Socket client;
    private volatile Socket upstream;

    CountingRelay(InetSocketAddress server) throws IOException {
        this.server = server;
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::relay, "counting-relay");
        accept.setDaemon(true);
        accept.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** True once the client has sent {@code bytes} bytes, false if that did not happen within {@code timeout}. */
    synchronized boolean awaitToServer(long bytes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (toServer < bytes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return true;
    }

    private synchronized void passed(int n) {
        toServer += n;
        notifyAll();
    }

    private void relay() {
        try {
            client = listener.accept();
            upstream = new Socket(server.getAddress(), server.getPort());
            Thread back = new Thread(() -> pump(upstream, client, false), "counting-relay-back");
            back.setDaemon(true);
            back.start();
            pump(client, upstream, true);
        } catch (IOException e) {
            if (!listener.isClosed()) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean counted) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (counted) {
                    passed(n); // counted as it arrives: the client has sent it, whenever the server reads it
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: the replay ended; closing both below ends the other pump
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            System.getLogger(CountingRelay.class.getName()).log(System.Logger.Level.DEBUG, "close: " + e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : new Socket[] {client, upstream}) {
            if (s != null) {
                closeQuietly(s);
            }
        }
    }
}
