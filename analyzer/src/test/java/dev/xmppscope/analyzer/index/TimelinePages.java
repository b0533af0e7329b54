package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A query's pages walked as the UI walks them: the refs found, in the order walked. */
final class TimelinePages {
    private TimelinePages() {
    }

    /** Every page from the first, following {@code next}. */
    static List<String> forwards(StanzaIndex index, StanzaQuery q) {
        List<String> refs = new ArrayList<>();
        String cursor = null;
        do {
            StanzaPage page = index.query(withCursor(q, cursor), Long.MAX_VALUE);
            page.items().stream().map(StanzaSummary::ref).forEach(refs::add);
            cursor = page.next();
        } while (cursor != null);
        return refs;
    }

    /** Every page from the newest, following {@code previous}; each page's elements newest first. */
    static List<String> backwards(StanzaIndex index, StanzaQuery q) {
        List<String> refs = new ArrayList<>();
        String cursor = "latest";
        do {
            StanzaPage page = index.query(withCursor(q, cursor), Long.MAX_VALUE);
            List<String> items = new ArrayList<>(page.items().stream().map(StanzaSummary::ref).toList());
            Collections.reverse(items);
            refs.addAll(items);
            cursor = page.previous();
        } while (cursor != null);
        return refs;
    }

    private static StanzaQuery withCursor(StanzaQuery q, String cursor) {
        return new StanzaQuery(q.text(), q.jid(), q.kind(), q.type(), q.namespace(), q.id(), q.connection(), q.fromNanos(),
                q.untilNanos(), cursor, q.limit());
    }
}
