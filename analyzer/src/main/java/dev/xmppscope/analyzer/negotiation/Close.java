package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.Direction;

/** How a connection ended: who closed the stream first, whether it was answered, TLS and TCP. */
final class Close {
    Direction first;
    long firstAt;
    boolean answered;
    private boolean notifyToServer;
    private boolean notifyToClient;
    private boolean halfToServer;
    private boolean halfToClient;

    void notifyFrom(Direction d) {
        if (d == Direction.TO_CLIENT) {
            notifyToClient = true;
        } else {
            notifyToServer = true;
        }
    }

    void halfClosed(Direction d) {
        if (d == Direction.TO_CLIENT) {
            halfToClient = true;
        } else {
            halfToServer = true;
        }
    }

    /**
     * Whether a peer closed TCP while no stream close had been seen (RFC 6120 §4.4 wants the
     * stream closed first): a server killed or crashed (its kernel closes its sockets), a client
     * that vanished. Unknowable when the streams went on inside TLS passed through.
     */
    boolean closedWithStreamOpen(ConnectionClosed c, boolean hiddenByTls) {
        return !hiddenByTls && first == null
                && (c.reason() == CloseReason.CLIENT_CLOSED || c.reason() == CloseReason.SERVER_CLOSED)
                && c.bytesToServer() + c.bytesToClient() > 0;
    }

    /**
     * "Connection ended after 1.2 s: Client closed the stream, Server answered; TLS close_notify
     * from both; ...". {@code hiddenByTls}: the streams went on inside TLS passed through, where
     * their closing tags cannot be seen.
     */
    String describe(ConnectionClosed c, String initiator, String responder, String lifetime, boolean hiddenByTls) {
        StringBuilder sb = new StringBuilder("Connection ended after ").append(lifetime).append(": ");
        // a peer that closed TCP with its stream open is said once, first, as what ended it
        boolean closedOpen = closedWithStreamOpen(c, hiddenByTls);
        if (first == null && c.bytesToServer() == 0 && c.bytesToClient() == 0) {
            sb.append("nothing was relayed");
        } else if (first == null && hiddenByTls) {
            sb.append("the streams' end is inside TLS, not visible");
        } else if (closedOpen) {
            sb.append(c.reason() == CloseReason.CLIENT_CLOSED ? initiator : responder).append(" closed TCP without closing the stream");
        } else if (first == null) {
            sb.append("nobody closed the stream");
        } else {
            String closer = first == Direction.TO_SERVER ? initiator : responder;
            String other = first == Direction.TO_SERVER ? responder : initiator;
            sb.append(closer).append(" closed the stream, ").append(other)
                    .append(answered ? " answered" : " did not answer");
        }
        if (notifyToServer || notifyToClient) {
            sb.append("; TLS close_notify from ").append(notifyToServer && notifyToClient ? "both sides"
                    : notifyToServer ? initiator : responder);
        }
        if (halfToServer || halfToClient) {
            sb.append("; TCP half-closed by ").append(halfToServer && halfToClient ? "both sides"
                    : halfToServer ? initiator : responder);
        }
        if (closedOpen) {
            return sb.toString();
        }
        String tcp = switch (c.reason()) {
            case CLIENT_CLOSED -> initiator + " closed TCP";
            case SERVER_CLOSED -> responder + " closed TCP";
            case CLIENT_RESET -> "TCP cut by " + initiator + " (reset or I/O error)";
            case SERVER_RESET -> "TCP cut by " + responder + " (reset or I/O error)";
            case UPSTREAM_UNREACHABLE -> "the upstream could not be reached";
            case TLS_FAILED -> "a TLS handshake failed";
            case PROXY_SHUTDOWN -> "the proxy shut down";
            case PROXY_ERROR -> "the proxy hit an error";
            case UNKNOWN -> "the capture ended before the connection did";
        };
        return sb.append("; ").append(tcp).toString();
    }
}
