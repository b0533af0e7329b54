package dev.xmppscope.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A random /24 inside 127.0.0.0/8 ({@code 127.R1.R2.0/24}, R1 in 10..250, R2 in 1..250) for one
 * test or federation. Other test runs on the same machine (other helpers, other forks) pick
 * their own blocks, so fixed addresses like 127.0.0.2:5222 never collide. All of 127/8 routes to
 * loopback on Linux without any setup.
 *
 * <p>Conventional hosts inside a block: {@link #DNS_HOST} (.53) for the loopback DNS, servers
 * from .2 upwards, relays (the proxy under test) from .12 upwards.
 */
public final class LoopbackBlock {
    public static final int DNS_HOST = 53;
    public static final int FIRST_SERVER_HOST = 2;
    public static final int FIRST_RELAY_HOST = 12;
    /** Ports checked on every conventional host before a block is handed out. */
    private static final int[] XMPP_PORTS = {5222, 5223, 5269};
    private static final Set<String> TAKEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final int r1;
    private final int r2;

    private LoopbackBlock(int r1, int r2) {
        this.r1 = r1;
        this.r2 = r2;
    }

    /**
     * Picks a random block whose DNS address (UDP and TCP 53) and XMPP ports on the first 30
     * hosts are free right now, and that no other test in this JVM holds.
     */
    public static LoopbackBlock random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 50; attempt++) {
            LoopbackBlock block = new LoopbackBlock(random.nextInt(10, 251), random.nextInt(1, 251));
            if (!TAKEN_IN_THIS_JVM.add(block.prefix())) {
                continue;
            }
            if (block.looksFree()) {
                return block;
            }
        }
        throw new IllegalStateException("no free loopback block found in 50 random tries of 127.10-250.1-250.0/24");
    }

    /** {@code 127.R1.R2} */
    public String prefix() {
        return "127." + r1 + "." + r2;
    }

    /** The address {@code 127.R1.R2.host}. */
    public InetAddress address(int host) {
        if (host < 1 || host > 254) {
            throw new IllegalArgumentException("host part " + host + " outside 1..254");
        }
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) r1, (byte) r2, (byte) host});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The address as text, {@code 127.R1.R2.host}. */
    public String host(int host) {
        return address(host).getHostAddress();
    }

    public InetSocketAddress socket(int host, int port) {
        return new InetSocketAddress(address(host), port);
    }

    public InetAddress dnsAddress() {
        return address(DNS_HOST);
    }

    /** True when nothing listens on TCP {@code address:port} (checked by binding it briefly). */
    public static boolean isTcpFree(InetSocketAddress address) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when UDP {@code address:port} can be bound. */
    public static boolean isUdpFree(InetSocketAddress address) {
        try (DatagramSocket s = new DatagramSocket(null)) {
            s.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean looksFree() {
        if (!isUdpFree(socket(DNS_HOST, 53)) || !isTcpFree(socket(DNS_HOST, 53))) {
            return false;
        }
        for (int host = 1; host <= 30; host++) {
            for (int port : XMPP_PORTS) {
                if (!isTcpFree(socket(host, port))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return prefix() + ".0/24";
    }
}
