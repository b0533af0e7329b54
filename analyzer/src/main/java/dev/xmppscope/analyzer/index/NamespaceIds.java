package dev.xmppscope.analyzer.index;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.mvstore.MVMap;

/**
 * Small numbers for the namespaces that stanza records list: a record stores each namespace as
 * its number instead of its URI (a typical message names five, about 110 bytes of a 600-byte
 * record, which the analysis file's compression had to read every time). The numbers are filed
 * in the analysis file, so every analyzer of it, and every later run, read them alike.
 *
 * <p>Numbered by the index writers, looked up by queries on any thread. Every analyzer of the
 * file in this JVM shares the map, and numbering locks it: two cannot give one number twice.
 * Beyond {@link #MAX_IDS} namespaces (a capture made up to defeat it) a record keeps the URI
 * itself, so memory stays bounded.
 */
final class NamespaceIds {
    static final int MAX_IDS = 1 << 16;

    private final MVMap<Integer, String> filed;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    /** URIs by number: grown under the map's lock, published before {@link #count}. */
    private volatile String[] uris = new String[16];
    private volatile int count;

    NamespaceIds(MVMap<Integer, String> filed) {
        this.filed = filed;
        synchronized (filed) {
            loadFiled();
        }
    }

    /** The number of {@code uri}, given now if it has none yet; -1 when no more numbers are given. */
    int id(String uri) {
        Integer id = ids.get(uri);
        return id != null ? id : file(uri);
    }

    /** The URI numbered {@code id}. */
    String uri(int id) {
        if (id >= count) {
            synchronized (filed) {
                loadFiled(); // numbered by another analyzer of this file
            }
        }
        if (id >= count) {
            throw new IllegalStateException("namespace number " + id + " is not in the analysis file");
        }
        return uris[id];
    }

    private int file(String uri) {
        synchronized (filed) {
            loadFiled();
            Integer id = ids.get(uri);
            if (id != null) {
                return id;
            }
            int next = count;
            if (next >= MAX_IDS) {
                return -1;
            }
            filed.put(next, uri);
            loadFiled();
            return next;
        }
    }

    /** Takes in the numbers filed since the last look (under the map's lock). */
    private void loadFiled() {
        String[] u = uris;
        int n = count;
        for (String next = filed.get(n); next != null; next = filed.get(n)) {
            if (n == u.length) {
                u = Arrays.copyOf(u, n * 2);
            }
            u[n] = next;
            ids.putIfAbsent(next, n);
            n++;
        }
        uris = u;
        count = n;
    }
}
