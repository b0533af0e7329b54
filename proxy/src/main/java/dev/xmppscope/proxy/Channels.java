package dev.xmppscope.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;

/** Small channel helpers the relay uses: flush-then-close, half-close. */
final class Channels {
    private Channels() {
    }

    /** Half-closes (FIN) when the channel can, else closes it. */
    static void shutdownOutput(Channel ch) {
        if (ch instanceof DuplexChannel d && ch.isActive()) {
            d.shutdownOutput();
        } else {
            ch.close();
        }
    }

    static void closeOnFlush(Channel ch) {
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (ch != null) {
            ch.close();
        }
    }
}
