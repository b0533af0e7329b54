package dev.xmppscope.proxy.xmpp;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
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
     * Beyond this many attributes (a hostile tag can carry thousands) parsing finds repeated names
     * through a hash index, so that it never costs quadratic time on an event loop.
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
    static TagAttributes parse(String s) {
        Map<String, Integer> index = null; // name -> its position in pairs, once there are many
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
            int at = index != null ? index.getOrDefault(name, -1) : indexOf(pairs, size, name);
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
            if (index != null) {
                index.put(name, 2 * size - 2);
            } else if (size == MAX_LINEAR) {
                index = new HashMap<>();
                for (int j = 0; j < 2 * size; j += 2) {
                    index.put(pairs[j], j);
                }
            }
        }
        return size == 0 ? NONE : new TagAttributes(pairs, size);
    }

    /** The namespace declarations among these attributes, by prefix ({@code ""} for the default). */
    Map<String, String> declarations() {
        Map<String, String> declared = Map.of();
        for (int i = 0; i < 2 * size; i += 2) {
            String name = pairs[i];
            String prefix = !name.startsWith("xmlns") ? null : name.length() == 5 ? "" : name.charAt(5) == ':' ? name.substring(6) : null;
            if (prefix == null) {
                continue;
            }
            if (declared.isEmpty()) {
                declared = Map.of(prefix, pairs[i + 1]); // nearly always the only one
            } else {
                if (!(declared instanceof HashMap)) {
                    declared = new HashMap<>(declared);
                }
                declared.put(prefix, pairs[i + 1]);
            }
        }
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

    /**
     * Resolves the predefined entities and character references ({@code &#45;}, {@code &#x2d;}) in
     * one pass, as the server's parser does: a secret's marker written {@code type='text&#x2d;private'}
     * or {@code mechanism='PL&#65;IN'} is the same to the server. Anything else is kept as written.
     */
    static String unescape(String v) {
        int amp = v.indexOf('&');
        if (amp < 0) {
            return v;
        }
        StringBuilder out = new StringBuilder(v.length());
        int i = 0;
        while (amp >= 0) {
            out.append(v, i, amp);
            int semi = v.indexOf(';', amp + 1);
            String resolved = semi < 0 ? null : resolve(v.substring(amp + 1, semi));
            if (resolved == null) {
                out.append('&');
                i = amp + 1;
            } else {
                out.append(resolved);
                i = semi + 1;
            }
            amp = v.indexOf('&', i);
        }
        return out.append(v, i, v.length()).toString();
    }

    /** The text of the reference named {@code ref} (what is between {@code '&'} and {@code ';'}), or null. */
    private static String resolve(String ref) {
        return switch (ref) {
            case "lt" -> "<";
            case "gt" -> ">";
            case "amp" -> "&";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> characterReference(ref);
        };
    }

    /** The character of {@code #65} or {@code #x41}, or null. */
    private static String characterReference(String ref) {
        if (ref.length() < 2 || ref.length() > 10 || ref.charAt(0) != '#') {
            return null;
        }
        boolean hex = ref.charAt(1) == 'x';
        try {
            int cp = Integer.parseInt(ref.substring(hex ? 2 : 1), hex ? 16 : 10);
            return Character.isValidCodePoint(cp) ? Character.toString(cp) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
