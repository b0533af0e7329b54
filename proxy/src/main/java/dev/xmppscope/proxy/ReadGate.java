package dev.xmppscope.proxy;

import io.netty.channel.Channel;
import java.util.EnumSet;
import java.util.Set;

/**
 * Decides whether one side of a proxied connection may read: it reads only while nothing holds
 * it back. Each reason is set and cleared independently, so backpressure from the peer, from
 * the recorder and from a TLS setup in progress never undo each other.
 */
final class ReadGate {
    /** Why a side is not reading. */
    enum Hold {
        /** The upstream connection is not open yet. */
        UPSTREAM_CONNECTING,
        /** The other side's outbound buffer is above its high water mark. */
        PEER_BUSY,
        /** The recorder's backlog is above its high water mark. */
        RECORDER_BEHIND,
        /** TLS with the upstream is being set up; the client must wait for it. */
        TLS_SETUP
    }

    private final Channel channel;
    private final Set<Hold> holds = EnumSet.noneOf(Hold.class);

    ReadGate(Channel channel) {
        this.channel = channel;
    }

    void hold(Hold reason) {
        holds.add(reason);
        apply();
    }

    void release(Hold reason) {
        holds.remove(reason);
        apply();
    }

    boolean isOpen() {
        return holds.isEmpty();
    }

    Set<Hold> holds() {
        return EnumSet.copyOf(holds.isEmpty() ? EnumSet.noneOf(Hold.class) : holds);
    }

    /** Sets autoRead to match the holds (call once after creating the gate). */
    void apply() {
        boolean read = holds.isEmpty();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
