package dev.xmppscope.proxy.xmpp;

import dev.xmppscope.capture.SaslPlainMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Masks secrets in one direction of a recorded stream (sans-io), keeping every byte where it
 * was: a secret becomes as many {@code '*'} bytes, so stored offsets stay true and the stanza
 * stays well-formed. Used between the tap and the store, never on the relayed bytes.
 *
 * <p>What counts as a secret: the payload of SASL mechanisms that carry a password or token
 * ({@code PLAIN}, {@code X-OAUTH2}, {@code OAUTHBEARER}, ...) in {@code <auth>},
 * {@code <response>} and SASL2 {@code <initial-response>}; {@code <password>} of legacy
 * authentication ({@code jabber:iq:auth}, XEP-0078) and in-band registration
 * ({@code jabber:iq:register}, XEP-0077), including a registration form's password field; a
 * MUC room's password in its configuration form ({@code muc#owner}, both ways); and in every
 * stanza passed over, the text of any {@code <password>} element, prefixed or not, CDATA
 * sections included (a MUC room's password when joining, XEP-0045, or in an invitation,
 * {@code muc#user}; in any other namespace it is masked rather than guessed at) and the
 * {@code password} attribute of any {@code <x>} (a direct invitation, XEP-0249).
 * Challenge-response mechanisms (SCRAM, DIGEST-MD5) never send the password and are kept.
 *
 * <p>Only the top-level elements that can carry such a secret are tokenized: {@code <message>},
 * {@code <presence>}, stream features and the like, and an {@code <iq>}'s payload (by its name
 * unless it is a {@code <query>}, else by its namespace), are passed over by the tracker's cheap
 * skip (see {@link XmlStreamTracker#skipElement()}), which looks only at tags named like the
 * skipped element, {@code <password>} or {@code <x>}, so a stream costs little once it carries
 * ordinary traffic. {@code <iq>} stays watched for the whole stream: in-band registration and
 * legacy authentication may come before SASL, and a password change (XEP-0077 §3.3) after it.
 */
public final class SecretRedactor {
    public static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static final String SASL2_NS = "urn:xmpp:sasl:2";
    public static final String IQ_AUTH_NS = "jabber:iq:auth";
    public static final String IQ_REGISTER_NS = "jabber:iq:register";
    public static final String DATA_FORMS_NS = "jabber:x:data";
    public static final String MUC_OWNER_NS = "http://jabber.org/protocol/muc#owner";
    private static final Set<String> SECRET_MECHANISMS = Set.of("PLAIN", "X-OAUTH2", "OAUTHBEARER", "X-GOOGLE-TOKEN",
            "X-FACEBOOK-PLATFORM", "X-MESSENGER-OAUTH2", "LOGIN");
    private static final byte MASK = '*';
    private static final String PASSWORD_IN_STANZA = "password in a stanza (MUC: joining a room, an invitation)";
    /** Local names of the top-level elements {@link #mayHoldSecret} may accept, as bytes (see {@link Pass#passOver}). */
    private static final byte[][] TOP_LEVEL_WITH_SECRETS = names("iq", "auth", "response", "authenticate");
    /** The one name of an {@code <iq>} payload that may hold a secret: auth, registration, room configuration. */
    private static final byte[] IQ_PAYLOAD_WITH_SECRETS = names("query")[0];

    /** The masked bytes and which kinds of secret were masked in them (empty when none). */
    public record Result(byte[] bytes, Set<String> kinds) {
        public boolean redacted() {
            return !kinds.isEmpty();
        }
    }

    private final XmlStreamTracker tracker = new XmlStreamTracker();
    private final Pass pass = new Pass();
    private String lastMechanism;

    public SecretRedactor() {
        tracker.watchInSkipped("password");
        tracker.watchAttributeInSkipped("x", "password"); // a direct MUC invitation (XEP-0249)
    }

    private static byte[][] names(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    /** Masks the secrets in the next piece of the stream. {@code bytes} is not modified. */
    public Result redact(byte[] bytes) {
        pass.begin(bytes, tracker.offset());
        tracker.feed(bytes, pass);
        return pass.end();
    }

    /**
     * Whether a top-level element can hold a secret: SASL {@code <auth>}, {@code <response>},
     * SASL2 {@code <authenticate>}, and {@code <iq>} (legacy authentication and in-band
     * registration, including a password change after login). Everything else, which is
     * nearly every stanza of a stream, is skipped without being tokenized.
     */
    private static boolean mayHoldSecret(XmlStreamTracker.Tag top) {
        String local = top.localName();
        if (local.equals("iq")) {
            return true;
        }
        String ns = top.namespace();
        return (SASL_NS.equals(ns) && (local.equals("auth") || local.equals("response")))
                || (SASL2_NS.equals(ns) && (local.equals("authenticate") || local.equals("response")));
    }

    /** One call of {@link #redact}: the listener that masks, reused so a chunk without secrets allocates nothing. */
    private final class Pass implements XmlStreamTracker.Listener {
        private byte[] bytes;
        private byte[] out;
        private long base;
        private Set<String> kinds;

        void begin(byte[] in, long at) {
            bytes = in;
            out = in;
            base = at;
            kinds = null;
        }

        Result end() {
            Result r = new Result(out, kinds == null ? Set.of() : kinds);
            bytes = null;
            out = null;
            return r;
        }

        @Override
        public boolean passOver(byte[] name, int from, int to, int depth) {
            if (depth == 2) {
                // an iq's payload other than <query> (pubsub, bind, ping, vCard...) never holds one
                XmlStreamTracker.Element parent = tracker.current();
                return parent != null && parent.localName().equals("iq")
                        && !Arrays.equals(name, from, to, IQ_PAYLOAD_WITH_SECRETS, 0, IQ_PAYLOAD_WITH_SECRETS.length);
            }
            // by name alone: <message>, <presence>, features, stream management... never hold secrets
            if (depth != 1) {
                return false;
            }
            for (byte[] n : TOP_LEVEL_WITH_SECRETS) {
                if (Arrays.equals(name, from, to, n, 0, n.length)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void tag(XmlStreamTracker.Tag tag) {
            if (tag.kind() == XmlStreamTracker.TagKind.END) {
                return;
            }
            if (tag.is("auth", SASL_NS) || tag.is("authenticate", SASL2_NS)) {
                String m = tag.attribute("mechanism");
                lastMechanism = m == null ? null : m.toUpperCase(Locale.ROOT);
            }
            if (tag.kind() != XmlStreamTracker.TagKind.START) {
                return;
            }
            if (tag.depth() == 1 && !mayHoldSecret(tag)) {
                tracker.skipElement();
            } else if (tag.depth() == 2 && tag.ancestors().get(1).localName().equals("iq")
                    && !IQ_AUTH_NS.equals(tag.namespace()) && !IQ_REGISTER_NS.equals(tag.namespace())
                    && !MUC_OWNER_NS.equals(tag.namespace())) {
                tracker.skipElement(); // a <query> of another namespace than auth, registration, room configuration: roster, disco...
            }
        }

        @Override
        public void text(long from, long to, XmlStreamTracker.Element inside, List<XmlStreamTracker.Element> ancestors) {
            String kind = secretKind(inside, ancestors);
            if (kind == null) {
                return;
            }
            int a = clip(from);
            int b = clip(to);
            if (b <= a) {
                return;
            }
            writable();
            byte[] userKept = "PLAIN".equals(lastMechanism) && isSaslPayload(inside) && wholeContent(a, b)
                    ? passwordMasked(a, b) : null;
            if (userKept != null) {
                System.arraycopy(userKept, 0, out, a, userKept.length);
                kind = "SASL PLAIN password (the username is kept)";
            } else {
                Arrays.fill(out, a, b, MASK);
            }
            said(kind);
        }

        /**
         * A {@code <password>} in a stanza passed over, a MUC room's (joining, invitations) or any
         * other, or the password attribute of a direct invitation's {@code <x>}.
         */
        @Override
        public void watchedText(long from, long to) {
            int a = clip(from);
            int b = clip(to);
            if (b <= a) {
                return;
            }
            writable();
            Arrays.fill(out, a, b, MASK);
            said(PASSWORD_IN_STANZA);
        }

        /** An absolute stream offset as an index into this piece, clipped to it. */
        private int clip(long at) {
            return (int) Math.max(0, Math.min(bytes.length, at - base));
        }

        /** The output, copied from the input on the first mask: a piece without secrets is returned as it came. */
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
         * The PLAIN payload {@code bytes[a, b)} re-encoded with only its password masked: as long
         * as the original, so stored offsets stay true. Null (mask it all) when it is not the
         * canonical base64 of a PLAIN message.
         */
        private byte[] passwordMasked(int a, int b) {
            SaslPlainMessage m = SaslPlainMessage.decode(Arrays.copyOfRange(bytes, a, b));
            byte[] masked = m == null ? null : m.withPasswordMasked();
            return masked != null && masked.length == b - a ? masked : null;
        }

        /**
         * Whether {@code bytes[a, b)} of the current piece is an element's entire content: right after
         * a start tag and right before an end tag, both in this piece. Only then can it be re-encoded
         * (nothing of it went out unmasked before, none comes after, no comment splits it).
         */
        private boolean wholeContent(int a, int b) {
            byte[] in = bytes;
            return a >= 2 && b + 1 < in.length && in[a - 1] == '>' && in[a - 2] != '-' && in[a - 2] != ']'
                    && in[a - 2] != '?' && in[a - 2] != '/' && in[b] == '<' && in[b + 1] == '/';
        }
    }

    /** Whether {@code e} carries a SASL mechanism's payload: {@code <auth>}, {@code <response>}, SASL2 {@code <initial-response>}. */
    private static boolean isSaslPayload(XmlStreamTracker.Element e) {
        String local = e.localName();
        String ns = e.namespace();
        return (SASL_NS.equals(ns) && (local.equals("auth") || local.equals("response")))
                || (SASL2_NS.equals(ns) && (local.equals("initial-response") || local.equals("response")));
    }

    private String secretKind(XmlStreamTracker.Element inside, List<XmlStreamTracker.Element> ancestors) {
        if (inside == null) {
            return null;
        }
        String local = inside.localName();
        String ns = inside.namespace();
        boolean secretMechanism = lastMechanism != null && SECRET_MECHANISMS.contains(lastMechanism);
        if (secretMechanism && isSaslPayload(inside)) {
            return "SASL " + lastMechanism + " credentials";
        }
        if (local.equals("password") && IQ_AUTH_NS.equals(ns)) {
            return "legacy authentication (jabber:iq:auth) password";
        }
        if (local.equals("password") && IQ_REGISTER_NS.equals(ns)) {
            return "in-band registration (jabber:iq:register) password";
        }
        if (local.equals("value") && DATA_FORMS_NS.equals(ns) && !ancestors.isEmpty()) {
            XmlStreamTracker.Element field = ancestors.size() >= 2 ? ancestors.get(ancestors.size() - 2) : null;
            if (field == null || !field.localName().equals("field")) {
                return null;
            }
            boolean privateField = "text-private".equals(field.attribute("type"));
            if (ancestors.stream().anyMatch(e -> IQ_REGISTER_NS.equals(e.namespace()))
                    && (privateField || "password".equals(field.attribute("var")))) {
                return "in-band registration (jabber:iq:register) password";
            }
            if (ancestors.stream().anyMatch(e -> MUC_OWNER_NS.equals(e.namespace()))
                    && (privateField || "muc#roomconfig_roomsecret".equals(field.attribute("var")))) {
                return "MUC room password (room configuration)";
            }
        }
        return null;
    }
}
