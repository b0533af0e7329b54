package dev.xmppscope.bench.relay;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A named way to put a relay in front of an upstream (the sink). */
public interface Contender {

    /** Short name used in tables and --only filters: direct, haproxy, socat, xmppscope. */
    String name();

    /**
     * Whether the relay's CPU time can be read from /proc for its process tree. False for relays
     * that fork a process per connection (socat): their figures came out implausibly low (children
     * not all seen between two snapshots), so the tables show n/a rather than a wrong number.
     */
    default boolean cpuMeasurable() {
        return true;
    }

    /** Starts a relay in front of {@code upstream}; {@code workDir} is this contender's scratch dir. */
    Relay start(InetSocketAddress upstream, Path workDir) throws Exception;

    /** Clients connect straight to the upstream: the baseline every relay is compared with. */
    Contender DIRECT = new Contender() {
        @Override
        public String name() {
            return "direct";
        }

        @Override
        public Relay start(InetSocketAddress upstream, Path workDir) {
            return new Relay() {
                @Override
                public InetSocketAddress address() {
                    return upstream;
                }

                @Override
                public void close() {
                }
            };
        }
    };
}
