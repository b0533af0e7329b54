package dev.xmppscope.analyzer.negotiation;

/**
 * A stream-management session that may be resumed (XEP-0198), as the connection that carries it
 * last left it: a stream that resumes it binds nothing, and learns its client's JID here, and what
 * each side sent on the connection before, to say what must be sent again.
 */
public final class ResumableSession {
    final String identity;
    final long connection;
    final StanzaCounts counts;

    ResumableSession(String identity, long connection, StanzaCounts counts) {
        this.identity = identity;
        this.connection = connection;
        this.counts = counts;
    }
}
