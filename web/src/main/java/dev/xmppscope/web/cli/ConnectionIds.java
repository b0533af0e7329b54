package dev.xmppscope.web.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** What a command that takes a connection id says when the capture has no such connection. */
final class ConnectionIds {

    private ConnectionIds() {
    }

    /** "no connection 99 in CAPTURE (its connections: 1-6, 9; ...)": the ids it has, as runs. */
    static IllegalArgumentException missing(long id, Object capture, Collection<Long> known) {
        return new IllegalArgumentException("no connection " + id + " in " + capture + (known.isEmpty() ? ", which has none"
                : " (its connections: " + runs(known) + "; 'xmppscope show " + capture + "' lists them)"));
    }

    /** "1-6, 9". */
    static String runs(Collection<Long> ids) {
        List<String> runs = new ArrayList<>();
        long start = -1;
        long last = -1;
        for (long id : new TreeSet<>(ids)) {
            if (start >= 0 && id == last + 1) {
                last = id;
                continue;
            }
            if (start >= 0) {
                runs.add(start == last ? String.valueOf(start) : start + "-" + last);
            }
            start = id;
            last = id;
        }
        runs.add(start == last ? String.valueOf(start) : start + "-" + last);
        return String.join(", ", runs);
    }
}
