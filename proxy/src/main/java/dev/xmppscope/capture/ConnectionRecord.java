package dev.xmppscope.capture;

/**
 * A stored connection: how it opened and, once it ended, how it closed.
 *
 * @param opened how it started
 * @param closed how it ended, or null while open (or when the capture stopped before it ended)
 */
public record ConnectionRecord(ConnectionOpened opened, ConnectionClosed closed) {
    public long id() {
        return opened.id();
    }

    public boolean isOpen() {
        return closed == null;
    }
}
