package dev.xmppscope.analyzer.index;

/**
 * Where a page of the stanza timeline starts, as the API's {@code cursor} says it: after a
 * timeline sequence number (a page's {@code next}; none: the first page), before one (a page's
 * {@code previous}, {@code before:SEQ}), or before the end ({@value #LATEST}: the newest page).
 */
record PageCursor(long seq, boolean backward) {
    static final String LATEST = "latest";
    private static final String BEFORE = "before:";

    static PageCursor parse(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return new PageCursor(-1, false);
        }
        String c = cursor.trim();
        if (c.equals(LATEST)) {
            return new PageCursor(Long.MAX_VALUE, true);
        }
        try {
            return c.startsWith(BEFORE) ? new PageCursor(Long.parseLong(c.substring(BEFORE.length())), true)
                    : new PageCursor(Long.parseLong(c), false);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad cursor '" + cursor + "': pass '" + LATEST
                    + "' (the newest page), or the 'next' or 'previous' of a page");
        }
    }

    /** The cursor of the page that ends just before {@code seq}. */
    static String before(long seq) {
        return BEFORE + seq;
    }

    boolean isLatest() {
        return backward && seq == Long.MAX_VALUE;
    }
}
