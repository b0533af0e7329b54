package dev.xmppscope.proxy.xmpp;

import dev.xmppscope.capture.ByteSearch;
import dev.xmppscope.capture.SaslPlainMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Masks secrets in one direction of a recorded stream (sans-io), keeping every byte where it
 * was: a secret becomes as many {@code '*'} bytes, so stored offsets stay true and the stanza
 * stays well-formed. Used between the tap and the store, never on the relayed bytes.
 *
 * <p>What counts as a secret: the payload of SASL mechanisms that may carry a password or token
 * ({@code PLAIN}, {@code X-OAUTH2}, {@code OAUTHBEARER}, ..., any not known to keep them out) in
 * {@code <auth>}, {@code <response>} and SASL2 {@code <initial-response>}; the text of any {@code <password>}
 * element, prefixed or not, CDATA sections included (legacy authentication, XEP-0078; in-band
 * registration and password changes, XEP-0077; a MUC room's password when joining or in an
 * invitation, XEP-0045; in any other namespace it is masked rather than guessed at); the
 * {@code password} attribute of any {@code <x>} (a direct invitation, XEP-0249); the values of
 * a data form's private fields: typed {@code text-private}, or named {@code password} or
 * {@code muc#roomconfig_roomsecret}; and a FAST token (XEP-0484: the {@code token} attribute of a
 * {@code <token>} a server hands out in SASL2's {@code <success>}) and what a client logs in with
 * under its {@code HT-*} mechanisms (an HMAC of the token; unbound to TLS, {@code HT-*-NONE}, a
 * replay of it logs in). Challenge-response mechanisms (SCRAM, DIGEST-MD5, CRAM-MD5) and
 * EXTERNAL, ANONYMOUS and GSSAPI never send the password and are kept. A tag whose attributes run past what is kept of them is taken for the
 * secret-bearing kind its name allows, so that padding cannot hide a marker.
 *
 * <p>How: every secret begins at a tag with one of a few local names, so this looks at each
 * tag's name and nothing else, without following the element structure: a tag named otherwise
 * (nearly every tag of a stream) costs finding its {@code '<'} and comparing its first eight
 * bytes with those names. Only the few tags so named are read whole (attributes, namespace).
 * Following every element's nesting, as this did until 2026-12-05, cost about twice as much, and
 * the redactor was then most of what the relay's threads did while recording. Comments, CDATA
 * sections and processing instructions are passed over, so markup quoted there is not taken
 * for tags.
 */
public final class SecretRedactor {
    public static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static final String SASL2_NS = "urn:xmpp:sasl:2";
    public static final String IQ_AUTH_NS = "jabber:iq:auth";
    public static final String IQ_REGISTER_NS = "jabber:iq:register";
    public static final String MUC_OWNER_NS = "http://jabber.org/protocol/muc#owner";
    /**
     * Mechanisms whose exchange never carries the password or a token that logs in by itself
     * (SCRAM-* too): their payloads are kept. Any other mechanism's are masked, named or not
     * (PLAIN, LOGIN, the OAuth ones, FAST's HT-*, one this list has never heard of).
     */
    private static final Set<String> KEPT_MECHANISMS = Set.of("DIGEST-MD5", "CRAM-MD5", "EXTERNAL", "ANONYMOUS", "GSSAPI");
    private static final byte MASK = '*';
    private static final String PASSWORD_IN_STANZA = "password in a stanza (MUC: joining a room, an invitation)";
    private static final String LEGACY_AUTH = "legacy authentication (jabber:iq:auth) password";
    private static final String REGISTRATION = "in-band registration (jabber:iq:register) password";
    private static final String ROOM_CONFIG = "MUC room password (room configuration)";
    private static final String PRIVATE_FIELD = "private data form field (text-private, or a password)";
    private static final String PLAIN_USER_KEPT = "SASL PLAIN password (the username is kept)";
    private static final String FAST_TOKEN = "FAST token (XEP-0484: it logs in as a password does)";
    /**
     * What a tag whose attributes ran past {@value #MAX_ATTRIBUTE_BYTES} bytes is taken for when
     * its deciding attribute was not among those kept: a field that may be private, an {@code <auth>}
     * whose mechanism may send a password. No client writes such tags; masking them is the safe side.
     */
    private static final String UNREAD_FIELD = "data form field whose attributes ran past 4 KiB (masked to be safe)";
    private static final String UNREAD_MECHANISM = "a mechanism not read (its tag ran past 4 KiB)";
    /** Longest local name looked for ({@code initial-response}); longer names are none of them. */
    private static final int MAX_NAME = 32;
    /** Bytes of a looked-at tag's attributes kept for {@link TagAttributes}: what decides fits well within. */
    private static final int MAX_ATTRIBUTE_BYTES = 4096;

    /** The tags looked at, by local name. */
    private enum Role { NONE, STREAM, QUERY, AUTH, AUTHENTICATE, INITIAL_RESPONSE, RESPONSE, PASSWORD, FIELD, VALUE, X, TOKEN }

    private static final Map<String, Role> ROLES = Map.ofEntries(Map.entry("stream", Role.STREAM), Map.entry("query", Role.QUERY),
            Map.entry("auth", Role.AUTH), Map.entry("authenticate", Role.AUTHENTICATE),
            Map.entry("initial-response", Role.INITIAL_RESPONSE), Map.entry("response", Role.RESPONSE),
            Map.entry("password", Role.PASSWORD), Map.entry("field", Role.FIELD), Map.entry("value", Role.VALUE),
            Map.entry("x", Role.X), Map.entry("token", Role.TOKEN));
    // the names' first eight bytes (see ByteScan.prefixWord) and masks: a tag whose name starts
    // otherwise, and has no prefix, is passed by one compare each
    private static final long[] NAME_WORDS = new long[ROLES.size()];
    private static final long[] NAME_MASKS = new long[ROLES.size()];

    static {
        int k = 0;
        for (String name : ROLES.keySet()) {
            byte[] b = name.getBytes(StandardCharsets.US_ASCII);
            NAME_MASKS[k] = ByteScan.prefixMask(b.length);
            NAME_WORDS[k++] = ByteScan.prefixWord(b, b.length);
        }
    }

    /** The masked bytes and which kinds of secret were masked in them (empty when none). */
    public record Result(byte[] bytes, Set<String> kinds) {
        public boolean redacted() {
            return !kinds.isEmpty();
        }
    }

    private enum Mode { SCAN, TAG, SECRET, SECRET_LT, MARKUP }

    // where the stream stands, across reads
    private Mode mode = Mode.SCAN;
    /** The comment, CDATA section, PI or declaration being passed over (mode MARKUP). */
    private final MarkupSection section = new MarkupSection();
    /** The section is inside a secret's content (its comment or CDATA content is masked), or not. */
    private boolean inSecret;
    /** The kind of secret whose content is being masked (SECRET and what it contains). */
    private String secretKind;
    private String lastMechanism;
    private Map<String, String> streamPrefixes = Map.of();
    /** The stream header's attributes ran past what is kept: a prefix may be declared among those not read. */
    private boolean streamPrefixesCut;
    /** The namespace of the innermost open {@code <query>}, or null. */
    private String queryNs;
    private boolean inAuthenticate;
    /** The kind of secret a private form field's values are, while inside it; else null. */
    private String secretField;

    // the tag being read (mode TAG)
    private final Tag tag = new Tag();

    // this read
    private byte[] bytes;
    private byte[] out;
    private Set<String> kinds;

    /** Masks the secrets in the next piece of the stream. {@code bytes} is not modified. */
    public Result redact(byte[] in) {
        bytes = in;
        out = in;
        kinds = null;
        int n = in.length;
        int i = 0;
        while (i < n) {
            i = switch (mode) {
                case SCAN -> scan(i, n);
                case TAG -> readTag(i, n);
                case SECRET -> secretText(i, n);
                case SECRET_LT -> secretMarkup(i);
                case MARKUP -> passMarkup(i, n);
            };
        }
        Result r = new Result(out, kinds == null ? Set.of() : kinds);
        bytes = null;
        out = null;
        return r;
    }

    /** From {@code i}, outside any tag: hops from {@code '<'} to {@code '<'} until a tag may be one looked at. */
    private int scan(int i, int n) {
        byte[] b = bytes;
        while (true) {
            int lt = ByteSearch.indexOf(b, (byte) '<', i, n);
            if (lt < 0) {
                return n;
            }
            if (lt + 9 > n) {
                return beginTag(lt + 1); // too close to the read's end for a word: byte by byte
            }
            long word = ByteSearch.word(b, lt + 1);
            byte first = (byte) word;
            if (first == '/') {
                if (queryNs != null || inAuthenticate || secretField != null) {
                    return beginTag(lt + 1); // may close what is open
                }
            } else if (first == '!') {
                return beginBang(lt + 2, false);
            } else if (first == '?') {
                return beginPi(lt + 2, false);
            } else if (namedLikeOneLookedAt(word) || ByteScan.nameHasColon(word, b, lt + 1, n)) {
                return beginTag(lt + 1);
            }
            i = lt + 1;
        }
    }

    private static boolean namedLikeOneLookedAt(long word) {
        for (int k = 0; k < NAME_WORDS.length; k++) {
            if (((word ^ NAME_WORDS[k]) & NAME_MASKS[k]) == 0) {
                return true;
            }
        }
        return false;
    }

    private int beginTag(int i) {
        tag.reset();
        mode = Mode.TAG;
        return i;
    }

    private int beginPi(int i, boolean secret) {
        section.startPi();
        return beginMarkup(i, secret);
    }

    private int beginBang(int i, boolean secret) {
        section.startBang();
        return beginMarkup(i, secret);
    }

    private int beginMarkup(int i, boolean secret) {
        mode = Mode.MARKUP;
        inSecret = secret;
        return i;
    }

    /** Reads a tag from {@code i} (after its {@code '<'}) up to its end, or as far as it need be read. */
    private int readTag(int i, int n) {
        Tag t = tag;
        while (i < n) {
            byte c = bytes[i++];
            if (t.attr == Tag.NAME) {
                boolean first = t.nameLength == 0 && !t.closing && t.prefixLength == 0;
                if (first && c == '!') {
                    return beginBang(i, false);
                } else if (first && c == '?') {
                    return beginPi(i, false);
                } else if (first && c == '/') {
                    t.closing = true;
                } else if (c == '>' || c == '/' || ByteScan.isWhitespace(c)) {
                    t.role = t.closing ? closerRole(t.localName()) : ROLES.getOrDefault(t.localName(), Role.NONE);
                    if (t.role == Role.NONE) {
                        mode = Mode.SCAN; // not looked at: the next '<' is after its end
                        return i;
                    }
                    t.attr = Tag.BETWEEN;
                    i--; // the byte that ended the name is read as part of the attributes
                } else if (c == ':') {
                    t.takePrefix();
                } else {
                    t.addNameByte(c);
                }
                continue;
            }
            if (t.attr == Tag.VALUE) {
                int close = ByteSearch.indexOf(bytes, t.quote, i - 1, n);
                int end = close < 0 ? n : close;
                if (t.maskedValueKind != null) {
                    mask(i - 1, end, t.maskedValueKind);
                }
                t.keep(bytes, i - 1, close < 0 ? n : close + 1);
                if (close < 0) {
                    return n;
                }
                t.endValue();
                i = close + 1;
                continue;
            }
            if (c == '>') {
                mode = Mode.SCAN;
                t.parseAttributes();
                return tagDone(i, n);
            }
            t.keep(bytes, i - 1, i);
            t.attributeByte(c);
        }
        return n;
    }

    private static Role closerRole(String local) {
        return switch (local) {
            case "query" -> Role.QUERY;
            case "authenticate" -> Role.AUTHENTICATE;
            case "field" -> Role.FIELD;
            default -> Role.NONE;
        };
    }

    /** Acts on a tag looked at, which ended right before {@code i}; returns where to go on. */
    private int tagDone(int i, int n) {
        Tag t = tag;
        if (t.closing) {
            switch (t.role) {
                case QUERY -> queryNs = null;
                case AUTHENTICATE -> inAuthenticate = false;
                case FIELD -> secretField = null;
                default -> { }
            }
            return i;
        }
        boolean empty = t.lastByte == '/';
        switch (t.role) {
            case STREAM -> {
                // a stream header (first or restart): what was open before it is history
                streamPrefixes = t.attributes.declarations();
                streamPrefixesCut = t.truncated;
                queryNs = null;
                inAuthenticate = false;
                secretField = null;
            }
            case QUERY -> {
                if (!empty) {
                    queryNs = t.namespace(streamPrefixes, "");
                }
            }
            case AUTH, AUTHENTICATE -> {
                String ns = t.namespace(streamPrefixes, "");
                boolean sasl = unsure(t, ns) || (t.role == Role.AUTH ? SASL_NS.equals(ns) : SASL2_NS.equals(ns));
                if (sasl) {
                    String m = t.attribute("mechanism");
                    // as a server reads it: surrounding whitespace must not hide PLAIN from the mask
                    lastMechanism = m != null ? m.strip().toUpperCase(Locale.ROOT) : t.truncated ? UNREAD_MECHANISM : null;
                    if (t.role == Role.AUTHENTICATE) {
                        inAuthenticate = !empty;
                    } else if (!empty) {
                        return saslPayload(i, n);
                    }
                }
            }
            case RESPONSE -> {
                String ns = t.namespace(streamPrefixes, "");
                if (!empty && (unsure(t, ns) || SASL_NS.equals(ns) || SASL2_NS.equals(ns))) {
                    return saslPayload(i, n);
                }
            }
            case INITIAL_RESPONSE -> {
                if (!empty && inAuthenticate) {
                    return saslPayload(i, n);
                }
            }
            case PASSWORD -> {
                if (!empty) {
                    String ns = t.namespace(streamPrefixes, queryNs == null ? "" : queryNs);
                    return secret(i, IQ_AUTH_NS.equals(ns) ? LEGACY_AUTH : IQ_REGISTER_NS.equals(ns) ? REGISTRATION
                            : PASSWORD_IN_STANZA);
                }
            }
            case FIELD -> {
                if (!empty) {
                    String kind = privateFieldKind(t.attribute("type"), t.attribute("var"));
                    secretField = kind == null && t.truncated ? UNREAD_FIELD : kind;
                }
            }
            case VALUE -> {
                if (!empty && secretField != null) {
                    return secret(i, secretField);
                }
            }
            default -> { }
        }
        return i;
    }

    /**
     * Whether what decides about this tag may not have been read: its own attributes ran past what
     * is kept, or its prefix names a namespace the stream header may have declared past it.
     */
    private boolean unsure(Tag t, String ns) {
        return t.truncated || streamPrefixesCut && t.prefixLength > 0 && ns.isEmpty();
    }

    /** What a field's values are, if it is a private one (see the class comment); else null. */
    private String privateFieldKind(String type, String var) {
        boolean privateType = "text-private".equals(type);
        if (IQ_REGISTER_NS.equals(queryNs) && (privateType || "password".equals(var))) {
            return REGISTRATION;
        }
        if (MUC_OWNER_NS.equals(queryNs) && (privateType || "muc#roomconfig_roomsecret".equals(var))) {
            return ROOM_CONFIG;
        }
        return privateType || "password".equals(var) || "muc#roomconfig_roomsecret".equals(var) ? PRIVATE_FIELD : null;
    }

    /**
     * A SASL payload from {@code i}, if the mechanism sends a secret. PLAIN keeps its username
     * when the whole payload is in this read (then nothing of it went out unmasked before, and
     * it can be re-encoded as the base64 of {@code \0user\0******}, as long as it was).
     */
    private int saslPayload(int i, int n) {
        if (lastMechanism == null || KEPT_MECHANISMS.contains(lastMechanism) || lastMechanism.startsWith("SCRAM-")) {
            return i;
        }
        if ("PLAIN".equals(lastMechanism)) {
            int lt = ByteSearch.indexOf(bytes, (byte) '<', i, n);
            if (lt > i && lt + 1 < n && bytes[lt + 1] == '/') {
                byte[] masked = plainWithPasswordMasked(i, lt);
                if (masked != null) {
                    writable();
                    System.arraycopy(masked, 0, out, i, masked.length);
                    said(PLAIN_USER_KEPT);
                    return lt;
                }
            }
        }
        return secret(i, UNREAD_MECHANISM.equals(lastMechanism) ? "SASL credentials under " + lastMechanism
                : "SASL " + lastMechanism + " credentials");
    }

    private byte[] plainWithPasswordMasked(int a, int b) {
        SaslPlainMessage m = SaslPlainMessage.decode(Arrays.copyOfRange(bytes, a, b));
        byte[] masked = m == null ? null : m.withPasswordMasked();
        return masked != null && masked.length == b - a ? masked : null;
    }

    private int secret(int i, String kind) {
        secretKind = kind;
        mode = Mode.SECRET;
        return i;
    }

    /** A secret's text: masked up to the next {@code '<'}. */
    private int secretText(int i, int n) {
        int lt = ByteSearch.indexOf(bytes, (byte) '<', i, n);
        int end = lt < 0 ? n : lt;
        mask(i, end, secretKind);
        if (lt < 0) {
            return n;
        }
        mode = Mode.SECRET_LT;
        return lt + 1;
    }

    /**
     * After a {@code '<'} in a secret's content: a comment or CDATA section is part of it (its
     * content masked too); any tag ends it (its own end tag, or a child, which no secret has).
     */
    private int secretMarkup(int i) {
        if (bytes[i] == '!') {
            return beginBang(i + 1, true);
        } else if (bytes[i] == '?') {
            return beginPi(i + 1, true);
        }
        return beginTag(i);
    }

    /**
     * Passes a comment, CDATA section, PI or declaration up to its end; inside a secret, the
     * content of a comment or CDATA section is masked with the secret's text (a {@code ']'} or
     * {@code '-'} that ends the read may begin the end marker, so it is held back, and stays
     * unmasked if the next read shows it was content).
     */
    private int passMarkup(int i, int n) {
        MarkupSection s = section;
        int start = -1; // where masked content begins in this read
        while (i < n) {
            if (start < 0 && inSecret && s.inCommentOrCdata()) {
                start = i;
            }
            if (s.feed(bytes[i++])) {
                if (start >= 0) {
                    mask(start, i - 3, secretKind); // up to the 3-byte end marker
                }
                mode = inSecret ? Mode.SECRET : Mode.SCAN;
                return i;
            }
        }
        if (start >= 0) {
            int end = n;
            while (end > start && end > n - 2 && (bytes[end - 1] == ']' || bytes[end - 1] == '-')) {
                end--;
            }
            mask(start, end, secretKind);
        }
        return n;
    }

    private void mask(int from, int to, String kind) {
        if (to <= from) {
            return;
        }
        writable();
        Arrays.fill(out, from, to, MASK);
        said(kind);
    }

    /** The output, copied from the input on the first mask: a read without secrets is returned as it came. */
    private void writable() {
        if (out == bytes) {
            out = bytes.clone();
        }
    }

    private void said(String kind) {
        if (kinds == null) {
            kinds = new LinkedHashSet<>();
        }
        kinds.add(kind);
    }

    /**
     * A tag looked at, read byte by byte across reads: its name (prefix and local part), where its
     * attributes are (enough to mask a value as it passes), and their text (the first
     * {@value #MAX_ATTRIBUTE_BYTES} bytes), parsed by {@link TagAttributes} once the tag ends.
     */
    private static final class Tag {
        static final int NAME = 0;
        static final int BETWEEN = 1;
        static final int ATTR_NAME = 2;
        static final int AFTER_NAME = 3;
        static final int AFTER_EQUALS = 4;
        static final int VALUE = 5;

        int attr;
        boolean closing;
        Role role;
        byte lastByte;
        final byte[] name = new byte[MAX_NAME];
        int nameLength;
        /** The local name ran longer than any looked at. */
        boolean nameTooLong;
        String prefix = "";
        int prefixLength;
        byte quote;
        /** The kind of secret the attribute value being read is, or null: it is kept. */
        String maskedValueKind;
        final StringBuilder attrName = new StringBuilder();
        /**
         * Grows as a tag needs it, up to {@value #MAX_ATTRIBUTE_BYTES}: there is a redactor per
         * stream direction, and a full-size array in each was a quarter of an idle stream's heap.
         */
        byte[] raw = new byte[256];
        int rawLength;
        /** The attributes ran past what is kept: what decides may be among the bytes not kept. */
        boolean truncated;
        /** Parsed from {@link #raw} when the tag ends. */
        TagAttributes attributes;

        void reset() {
            attr = NAME;
            closing = false;
            role = Role.NONE;
            lastByte = 0;
            nameLength = 0;
            nameTooLong = false;
            prefix = "";
            prefixLength = 0;
            maskedValueKind = null;
            attrName.setLength(0);
            rawLength = 0;
            truncated = false;
        }

        void addNameByte(byte c) {
            if (nameLength < MAX_NAME) {
                name[nameLength++] = c;
            } else {
                nameTooLong = true;
            }
        }

        /** A {@code ':'}: what was read of the name is its prefix, the local name follows. */
        void takePrefix() {
            prefix = nameTooLong ? "\0" : new String(name, 0, nameLength, StandardCharsets.UTF_8);
            prefixLength = Math.max(1, nameLength);
            nameLength = 0;
            nameTooLong = false;
        }

        String localName() {
            return nameTooLong ? "" : new String(name, 0, nameLength, StandardCharsets.UTF_8);
        }

        /** A byte of the tag after its name, outside quoted values. */
        void attributeByte(byte c) {
            if (!ByteScan.isWhitespace(c)) {
                lastByte = c;
            }
            switch (attr) {
                case BETWEEN, ATTR_NAME -> {
                    if (c == '=') {
                        attr = AFTER_EQUALS;
                    } else if (ByteScan.isWhitespace(c)) {
                        attr = attr == ATTR_NAME ? AFTER_NAME : BETWEEN;
                    } else if (c == '/' || c == '"' || c == '\'') {
                        attr = BETWEEN;
                        attrName.setLength(0);
                    } else {
                        if (attr == BETWEEN) {
                            attrName.setLength(0);
                        }
                        attr = ATTR_NAME;
                        if (attrName.length() < MAX_NAME) {
                            attrName.append((char) (c & 0xff));
                        }
                    }
                }
                case AFTER_NAME -> {
                    if (c == '=') {
                        attr = AFTER_EQUALS;
                    } else if (!ByteScan.isWhitespace(c)) {
                        attr = BETWEEN;
                        attributeByte(c);
                    }
                }
                case AFTER_EQUALS -> {
                    if (c == '"' || c == '\'') {
                        attr = VALUE;
                        quote = c;
                        maskedValueKind = secretAttribute(role, attrName);
                    } else if (!ByteScan.isWhitespace(c)) {
                        attr = BETWEEN; // an unquoted value (malformed) is ignored
                    }
                }
                default -> { }
            }
        }

        /** Keeps {@code b[from, to)} of the attributes' text, as far as there is room. */
        void keep(byte[] b, int from, int to) {
            int n = Math.min(MAX_ATTRIBUTE_BYTES - rawLength, to - from);
            truncated |= n < to - from;
            if (rawLength + n > raw.length) {
                raw = Arrays.copyOf(raw, Math.min(MAX_ATTRIBUTE_BYTES, Math.max(raw.length * 2, rawLength + n)));
            }
            if (n > 0) {
                System.arraycopy(b, from, raw, rawLength, n);
                rawLength += n;
            }
        }

        /** Parses the attributes' text kept, once the tag has ended. */
        void parseAttributes() {
            attributes = TagAttributes.parse(new String(raw, 0, rawLength, StandardCharsets.UTF_8));
        }

        void endValue() {
            attr = BETWEEN;
            lastByte = quote;
            maskedValueKind = null;
            attrName.setLength(0);
        }

        /** What kind of secret the value of attribute {@code name} of a tag in this role is, or null for none. */
        private static String secretAttribute(Role role, CharSequence name) {
            if (role == Role.X && "password".contentEquals(name)) {
                return PASSWORD_IN_STANZA;
            }
            return role == Role.TOKEN && "token".contentEquals(name) ? FAST_TOKEN : null;
        }

        String attribute(String name) {
            return attributes.get(name);
        }

        /**
         * The tag's namespace: declared by itself, else (prefixed) by the stream header; an
         * unprefixed tag without a declaration gets {@code inherited}, what its context suggests.
         * A prefix declared by an enclosing element is not followed: "" (none looked for).
         */
        String namespace(Map<String, String> stream, String inherited) {
            if (prefixLength == 0) {
                String own = attributes.get("xmlns");
                return own != null ? own : inherited;
            }
            String own = attributes.get("xmlns:" + prefix);
            return own != null ? own : stream.getOrDefault(prefix, "");
        }
    }
}
