package dev.xmppscope.bench.relay;

import java.net.InetSocketAddress;
import java.util.OptionalLong;

/** One contender: something clients connect to that forwards their streams to the sink. */
public interface Relay extends AutoCloseable {

    /** Where clients connect. */
    InetSocketAddress address();

    /** The process relaying, for RSS readings; empty when the relay lives in the runner (direct). */
    default OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    void close();
}
