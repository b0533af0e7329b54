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

    /** Java heap in use right after a full GC, for relays that run on a JVM; empty otherwise. */
    default OptionalLong heapUsedAfterGc() {
        return OptionalLong.empty();
    }

    /** Resident set size of the relay process (and its children, for forking relays), in bytes. */
    default OptionalLong rssBytes() {
        return pid().stream().mapToObj(ProcessRss::ofTree).flatMapToLong(OptionalLong::stream).findFirst();
    }

    /** CPU time (user + system) the relay process and its children have used so far, in nanoseconds. */
    default OptionalLong cpuNanos() {
        return pid().stream().mapToObj(CpuTime::ofTree).flatMapToLong(OptionalLong::stream).findFirst();
    }

    @Override
    void close();
}
