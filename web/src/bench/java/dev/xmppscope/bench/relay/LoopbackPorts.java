package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback addresses and ports for one benchmark run: a random 127.X.Y.0/24 block (so we never
 * collide with other Prosody/proxy instances on the machine's fixed addresses) and free ports.
 */
public final class LoopbackPorts {
    private final int x;
    private final int y;

    private LoopbackPorts(int x, int y) {
        this.x = x;
        this.y = y;
    }

    public static LoopbackPorts randomBlock() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new LoopbackPorts(100 + r.nextInt(150), 1 + r.nextInt(250));
    }

    /** Host {@code h} (1..254) of this run's block. */
    public InetAddress host(int h) {
        try {
            return InetAddress.getByAddress(new byte[]{127, (byte) x, (byte) y, (byte) h});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A port free right now on {@code address} (for external relays that need a number up front). */
    public static InetSocketAddress freePort(InetAddress address) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, 0));
            return new InetSocketAddress(address, s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + address.getHostAddress(), e);
        }
    }

    /** Waits until something accepts TCP connections on {@code address}. */
    public static void awaitListening(InetSocketAddress address, long timeoutMillis, Process process)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(address, 200);
                return;
            } catch (IOException e) {
                if (process != null && !process.isAlive()) {
                    throw new IllegalStateException("the relay exited (code " + process.exitValue() + ") before listening on "
                            + address.getAddress().getHostAddress() + ":" + address.getPort());
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("nothing listens on " + address.getAddress().getHostAddress() + ":"
                            + address.getPort() + " after " + timeoutMillis + " ms", e);
                }
                Thread.sleep(20);
            }
        }
    }
}
