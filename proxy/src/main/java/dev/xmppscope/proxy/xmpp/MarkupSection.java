package dev.xmppscope.proxy.xmpp;

/**
 * The markup XML passes over, after {@code <!} or {@code <?}: a comment, a CDATA section, a
 * processing instruction or a declaration ({@code <!DOCTYPE ...>}). Fed one byte at a time,
 * across reads, it tells which of them it is and at which byte it ends. The tracker and the
 * redactor both use it, so that both see markup quoted in a comment or CDATA section the same way.
 */
final class MarkupSection {
    /** What the section is; {@code OPENING} until the bytes after {@code <!} have decided. */
    private enum Kind { OPENING, COMMENT, CDATA, PI, DECLARATION }

    private static final byte[] COMMENT_OPEN = {'-', '-'};
    private static final byte[] CDATA_OPEN = {'[', 'C', 'D', 'A', 'T', 'A', '['};

    private Kind kind = Kind.DECLARATION;
    private byte[] opener = COMMENT_OPEN;
    private int openerLength;
    // the two bytes before the current one, for the end markers "-->", "]]>" and "?>"
    private int tail1 = -1;
    private int tail2 = -1;

    /** A section begins after {@code <!}. */
    void startBang() {
        kind = Kind.OPENING;
        openerLength = 0;
    }

    /** A processing instruction begins after {@code <?}. */
    void startPi() {
        kind = Kind.PI;
        resetTail();
    }

    /** Whether the next byte is content of a comment or CDATA section (their openers read, their end not yet). */
    boolean inCommentOrCdata() {
        return kind == Kind.COMMENT || kind == Kind.CDATA;
    }

    /** Takes the section's next byte; returns true when it was the section's last ({@code '>'}). */
    boolean feed(byte b) {
        boolean ends;
        switch (kind) {
            case OPENING -> {
                if (openerLength == 0) {
                    opener = b == '[' ? CDATA_OPEN : COMMENT_OPEN; // their first bytes differ: it decides
                }
                if (opener[openerLength] == b) {
                    if (++openerLength == opener.length) {
                        kind = opener == CDATA_OPEN ? Kind.CDATA : Kind.COMMENT;
                        resetTail();
                    }
                    return false;
                }
                kind = Kind.DECLARATION;
                return b == '>';
            }
            case COMMENT -> ends = b == '>' && tail1 == '-' && tail2 == '-';
            case CDATA -> ends = b == '>' && tail1 == ']' && tail2 == ']';
            case PI -> ends = b == '>' && tail1 == '?';
            default -> ends = b == '>';
        }
        tail2 = tail1;
        tail1 = b;
        return ends;
    }

    private void resetTail() {
        tail1 = -1;
        tail2 = -1;
    }
}
