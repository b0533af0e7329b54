package dev.xmppscope.analyzer.xmpp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An XMPP address split per RFC 7622 ({@code localpart@domainpart/resourcepart}), with what is
 * wrong or suspicious about it. Comparison keys fold case in the localpart and domainpart and drop
 * a trailing dot from the domainpart (RFC 7622 §3.2), so {@code Alice@A.Example./x} and
 * {@code alice@a.example/x} are the same entity; resources stay case-sensitive.
 *
 * <p>The checks are those a capture can show usefully; full PRECIS profile enforcement (which
 * needs Unicode tables of a given version) is not attempted.
 */
public final class Jid {
    private static final int MAX_PART_BYTES = 1023;
    private static final String LOCAL_FORBIDDEN = "\"&'/:<>@";

    private final String local;
    private final String domain;
    private final String resource;
    private final List<String> problems;
    private final List<String> warnings;
    /** The comparison keys, made on first use: JIDs come from a cache and are compared per stanza. */
    private String bareKey;
    private String fullKey;

    private Jid(String local, String domain, String resource, List<String> problems, List<String> warnings) {
        this.local = local;
        this.domain = domain;
        this.resource = resource;
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    /** Splits and checks {@code text}; never throws, see {@link #problems()}. Null for null. */
    public static Jid parse(String text) {
        if (text == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int slash = text.indexOf('/');
        String beforeResource = slash >= 0 ? text.substring(0, slash) : text;
        String resource = slash >= 0 ? text.substring(slash + 1) : null;
        int at = beforeResource.indexOf('@');
        String local = at >= 0 ? beforeResource.substring(0, at) : null;
        String domain = at >= 0 ? beforeResource.substring(at + 1) : beforeResource;

        if (local != null) {
            checkLocal(local, problems, warnings);
        }
        checkDomain(domain, problems, warnings);
        if (resource != null) {
            if (resource.isEmpty()) {
                problems.add("empty resourcepart after '/'");
            } else if (utf8Length(resource) > MAX_PART_BYTES) {
                problems.add("resourcepart longer than 1023 bytes");
            }
            if (hasControl(resource)) {
                problems.add("control character in the resourcepart");
            }
        }
        return new Jid(local, domain, resource, problems, warnings);
    }

    private static void checkLocal(String local, List<String> problems, List<String> warnings) {
        if (local.isEmpty()) {
            problems.add("empty localpart before '@'");
            return;
        }
        if (utf8Length(local) > MAX_PART_BYTES) {
            problems.add("localpart longer than 1023 bytes");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (LOCAL_FORBIDDEN.indexOf(c) >= 0) {
                problems.add("forbidden character '" + c + "' in the localpart (RFC 7622 §3.3.1)");
                break;
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                problems.add("space or control character in the localpart");
                break;
            }
        }
        if (!local.equals(local.toLowerCase(Locale.ROOT))) {
            warnings.add("localpart not case-folded (compares equal to " + local.toLowerCase(Locale.ROOT) + ")");
        }
        if (!local.chars().allMatch(ch -> ch < 0x80)) {
            warnings.add("non-ASCII localpart (check for look-alike characters)");
        }
    }

    private static void checkDomain(String domain, List<String> problems, List<String> warnings) {
        if (domain.isEmpty()) {
            problems.add("empty domainpart");
            return;
        }
        if (utf8Length(domain) > MAX_PART_BYTES) {
            problems.add("domainpart longer than 1023 bytes");
        }
        if (domain.startsWith("[")) {
            if (!domain.endsWith("]") || !isIpv6(domain.substring(1, domain.length() - 1))) {
                problems.add("bracketed domainpart is not an IPv6 address");
            }
            return;
        }
        if (domain.indexOf(':') >= 0) {
            problems.add("IPv6 domainpart must be in brackets (RFC 7622 §3.2)");
            return;
        }
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (domain.endsWith(".")) {
            warnings.add("trailing dot in the domainpart (ignored for comparison)");
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty()) {
                problems.add("empty label in the domainpart");
                break;
            }
            if (label.length() > 63) {
                problems.add("domain label longer than 63 characters");
                break;
            }
        }
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || "@/\"'<>&".indexOf(c) >= 0) {
                problems.add("forbidden character '" + c + "' in the domainpart");
                break;
            }
        }
        if (!d.equals(d.toLowerCase(Locale.ROOT))) {
            warnings.add("domainpart not case-folded");
        }
        if (!d.chars().allMatch(ch -> ch < 0x80)) {
            warnings.add("non-ASCII domainpart (check for look-alike characters)");
        }
    }

    private static boolean isIpv6(String s) {
        if (s.isEmpty() || s.chars().anyMatch(c -> !(Character.digit(c, 16) >= 0 || c == ':' || c == '.'))) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName("[" + s + "]") instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false; // a literal that does not parse; no lookup is made for literals
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    public String local() {
        return local;
    }

    public String domain() {
        return domain;
    }

    public String resource() {
        return resource;
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** What makes it invalid per RFC 7622; empty when valid. */
    public List<String> problems() {
        return problems;
    }

    /** Valid but worth a look (case, trailing dot, non-ASCII). */
    public List<String> warnings() {
        return warnings;
    }

    /** Problems and warnings in one line, or "" when neither. */
    public String flags() {
        List<String> all = new ArrayList<>();
        problems.forEach(p -> all.add("invalid JID: " + p));
        all.addAll(warnings);
        return String.join("; ", all);
    }

    /** The domain as compared: case-folded, without a trailing dot. */
    public String domainKey() {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /** The bare JID as compared: {@code local@domain}, case-folded. */
    public String bareKey() {
        String k = bareKey;
        if (k == null) {
            k = local == null ? domainKey() : local.toLowerCase(Locale.ROOT) + "@" + domainKey();
            bareKey = k;
        }
        return k;
    }

    /** The full JID as compared (resource kept as is). */
    public String fullKey() {
        String k = fullKey;
        if (k == null) {
            k = resource == null ? bareKey() : bareKey() + "/" + resource;
            fullKey = k;
        }
        return k;
    }

    public boolean hasResource() {
        return resource != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Jid j && j.fullKey().equals(fullKey());
    }

    @Override
    public int hashCode() {
        return fullKey().hashCode();
    }

    @Override
    public String toString() {
        return (local == null ? "" : local + "@") + domain + (resource == null ? "" : "/" + resource);
    }
}
