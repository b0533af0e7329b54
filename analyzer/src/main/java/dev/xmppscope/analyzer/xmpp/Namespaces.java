package dev.xmppscope.analyzer.xmpp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names for XML namespaces: which RFC or XEP defines one, and its title, read from the shipped
 * table {@code namespaces.tsv} so that the UI can say "XEP-0198 Stream Management" rather than
 * {@code urn:xmpp:sm:3}.
 */
public final class Namespaces {

    /** One row of the table. */
    public record Spec(String namespace, String spec, String title) {
        /** "XEP-0198 Stream Management". */
        public String label() {
            return spec + " " + title;
        }
    }

    private static final Namespaces SHIPPED = load();

    private static final int MAX_CACHED_LABELS = 10_000;

    private final Map<String, Spec> exact;
    /** Labels already built: every element of a capture asks for a few, mostly the same. */
    private final Map<String, String> labels = new ConcurrentHashMap<>();
    private final List<Spec> prefixes;

    private Namespaces(Map<String, Spec> exact, List<Spec> prefixes) {
        this.exact = exact;
        this.prefixes = prefixes;
    }

    /** The table shipped with xmppscope. */
    public static Namespaces shipped() {
        return SHIPPED;
    }

    public Optional<Spec> lookup(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            return Optional.empty();
        }
        Spec s = exact.get(namespace);
        if (s != null) {
            return Optional.of(s);
        }
        for (Spec p : prefixes) {
            if (namespace.startsWith(p.namespace())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** "XEP-0198 Stream Management", or the namespace itself when unknown. */
    public String label(String namespace) {
        if (namespace == null) {
            return null;
        }
        String known = labels.get(namespace);
        if (known != null) {
            return known;
        }
        String label = lookup(namespace).map(Spec::label).orElse(namespace);
        if (labels.size() < MAX_CACHED_LABELS) { // a peer inventing namespaces must not grow it without bound
            labels.put(namespace, label);
        }
        return label;
    }

    /**
     * The namespaces a query term means: a namespace URI as is, or every namespace of a spec
     * given as "XEP-0198", "xep-198", "0198", "198" or "RFC 6120".
     */
    public List<String> resolve(String term) {
        String t = term.trim();
        List<String> out = new ArrayList<>();
        String spec = normalizeSpec(t);
        if (spec != null) {
            for (Spec s : exact.values()) {
                if (s.spec().equalsIgnoreCase(spec)) {
                    out.add(s.namespace());
                }
            }
        }
        if (out.isEmpty()) {
            out.add(t);
        }
        out.sort(null);
        return out;
    }

    /**
     * The key under which the stanza index files what a query term names: the spec ("XEP-0198",
     * "RFC 6120") for a spec or a namespace the table knows, else the namespace itself; null for the
     * namespaces every stanza carries (those are not worth an index entry).
     */
    public String indexKey(String term) {
        String t = term.trim();
        String spec = normalizeSpec(t);
        if (spec != null) {
            return spec;
        }
        if (UNINDEXED.contains(t)) {
            return null;
        }
        return lookup(t).map(Spec::spec).orElse(t);
    }

    /** The keys the stanza index files an element under (see {@link #indexKey}), each once. */
    public List<String> indexKeys(List<String> elementNamespaces) {
        List<String> keys = new ArrayList<>(elementNamespaces.size());
        for (String ns : elementNamespaces) {
            String key = UNINDEXED.contains(ns) ? null : lookup(ns).map(Spec::spec).orElse(ns);
            if (key != null && !keys.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static final java.util.Set<String> UNINDEXED = java.util.Set.of("jabber:client", "jabber:server",
            "jabber:component:accept", "http://etherx.jabber.org/streams");

    private static String normalizeSpec(String t) {
        String u = t.toUpperCase(Locale.ROOT).replace(" ", "").replace("-", "");
        if (u.startsWith("RFC") && u.length() > 3 && u.substring(3).chars().allMatch(Character::isDigit)) {
            return "RFC " + Integer.parseInt(u.substring(3));
        }
        if (u.startsWith("XEP")) {
            u = u.substring(3);
        }
        if (!u.isEmpty() && u.length() <= 4 && u.chars().allMatch(Character::isDigit)) {
            return String.format(Locale.ROOT, "XEP-%04d", Integer.parseInt(u));
        }
        return null;
    }

    private static Namespaces load() {
        Map<String, Spec> exact = new HashMap<>();
        List<Spec> prefixes = new ArrayList<>();
        try (InputStream in = Namespaces.class.getResourceAsStream("/dev/xmppscope/analyzer/namespaces.tsv")) {
            if (in == null) {
                throw new IllegalStateException("namespaces.tsv is missing from the analyzer jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 3) {
                    throw new IllegalStateException("namespaces.tsv: expected 3 tab-separated fields in: " + line);
                }
                if (f[0].endsWith("*")) {
                    prefixes.add(new Spec(f[0].substring(0, f[0].length() - 1), f[1], f[2]));
                } else {
                    exact.putIfAbsent(f[0], new Spec(f[0], f[1], f[2]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read namespaces.tsv", e);
        }
        prefixes.sort((a, b) -> b.namespace().length() - a.namespace().length());
        return new Namespaces(exact, prefixes);
    }
}
