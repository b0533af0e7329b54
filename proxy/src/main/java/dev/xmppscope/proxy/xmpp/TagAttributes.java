package dev.xmppscope.proxy.xmpp;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A tag's attributes, read-only, in the order they came. A tag has a handful, so a linear lookup
 * over one array costs less than hashing them into a {@code HashMap}: the secret redactor parses
 * the start tag of every {@code <iq>} on the relay's event loops, and building such maps was a
 * third of that work. A repeated name (malformed) keeps its last value, as a map would.
 */
final class TagAttributes extends AbstractMap<String, String> {
    /**
     * Beyond this many attributes (a hostile tag can carry thousands) a hash map takes over, so
     * that finding repeated names never costs quadratic time on an event loop.
     */
    private static final int MAX_LINEAR = 16;
    private static final TagAttributes NONE = new TagAttributes(new String[0], 0);
    private final String[] pairs; // name, value, name, value...
    private final int size;

    private TagAttributes(String[] pairs, int size) {
        this.pairs = pairs;
        this.size = size;
    }

    /** Parses the tag text after the element name, e.g. {@code " to='a.example' xmlns='jabber:client'"}. */
    static Map<String, String> parse(String s) {
        Map<String, String> many = null;
        String[] pairs = null;
        int size = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int nameStart = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String name = s.substring(nameStart, i);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                if (name.isEmpty()) {
                    i++;
                }
                continue;
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            char q = s.charAt(i);
            if (q != '"' && q != '\'') {
                continue;
            }
            int close = s.indexOf(q, i + 1);
            if (close < 0) {
                break;
            }
            String value = unescape(s.substring(i + 1, close));
            i = close + 1;
            if (many == null && size == MAX_LINEAR && indexOf(pairs, size, name) < 0) {
                many = new LinkedHashMap<>(new TagAttributes(pairs, size));
            }
            if (many != null) {
                many.put(name, value);
                continue;
            }
            int at = indexOf(pairs, size, name);
            if (at >= 0) {
                pairs[at + 1] = value;
                continue;
            }
            if (pairs == null) {
                pairs = new String[8];
            } else if (2 * size == pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[2 * size] = name;
            pairs[2 * size + 1] = value;
            size++;
        }
        return many != null ? many : size == 0 ? NONE : new TagAttributes(pairs, size);
    }

    /** The namespace declarations among a tag's attributes ({@link #parse}), by prefix ({@code ""} for the default). */
    static Map<String, String> declarations(Map<String, String> attributes) {
        if (attributes instanceof TagAttributes few) { // the usual case: no entry objects
            Map<String, String> declared = Map.of();
            for (int i = 0; i < 2 * few.size; i += 2) {
                declared = declare(declared, few.pairs[i], few.pairs[i + 1]);
            }
            return declared;
        }
        Map<String, String> declared = Map.of();
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            declared = declare(declared, a.getKey(), a.getValue());
        }
        return declared;
    }

    /** {@code declared} plus the attribute {@code name} when it declares a namespace prefix. */
    private static Map<String, String> declare(Map<String, String> declared, String name, String value) {
        String prefix = !name.startsWith("xmlns") ? null : name.length() == 5 ? "" : name.charAt(5) == ':' ? name.substring(6) : null;
        if (prefix == null) {
            return declared;
        }
        if (declared.isEmpty()) {
            return Map.of(prefix, value); // nearly always the only one
        }
        if (!(declared instanceof HashMap)) {
            declared = new HashMap<>(declared);
        }
        declared.put(prefix, value);
        return declared;
    }

    private static int indexOf(String[] pairs, int size, Object name) {
        for (int i = 0; i < 2 * size; i += 2) {
            if (pairs[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String get(Object name) {
        int at = indexOf(pairs, size, name);
        return at < 0 ? null : pairs[at + 1];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(pairs, size, name) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = 2 * next++;
                        return new SimpleImmutableEntry<>(pairs[i], pairs[i + 1]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    private static String unescape(String v) {
        if (v.indexOf('&') < 0) {
            return v;
        }
        return v.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
