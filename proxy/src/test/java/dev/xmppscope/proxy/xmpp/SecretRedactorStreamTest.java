package dev.xmppscope.proxy.xmpp;

import static dev.xmppscope.proxy.xmpp.WireText.CLIENT_HEADER;
import static dev.xmppscope.proxy.xmpp.WireText.bytes;
import static dev.xmppscope.proxy.xmpp.WireText.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The redactor reads only tags named like ones a secret begins at, and passes every other tag by
 * its first bytes; these specify that this never lets a secret through, wherever the stream is
 * cut into reads, and never masks anything else.
 */
class SecretRedactorStreamTest {
    private static final String PLAIN_SECRET = "AGFsaWNlAHNlY3JldA==";
    /** PLAIN_SECRET with only the password masked: what a read holding the whole payload stores. */
    private static final String PLAIN_USER_KEPT = "AGFsaWNlACoqKioqKg==";
    private static final String REGISTER_SECRET = "hunter2";
    private static final String LEGACY_SECRET = "p&amp;ss";
    private static final String CHANGED_SECRET = "n3w-s3cret";
    private static final String FORM_SECRET = "form-secret";
    private static final String ROOM_SECRET = "r00m-key";
    private static final String INVITE_SECRET = "inv1te-key";
    private static final String OTHER_SECRET = "not-a-secret?";
    private static final String CONFIG_SECRET = "c0nfig-key";
    private static final String PUBSUB_SECRET = "pubsub-key";
    private static final String DIRECT_INVITE_SECRET = "d1rect-key";
    private static final String PREFIXED_SECRET = "pref1xed-key";
    private static final String PREFIXED_INVITE_SECRET = "pref1xed-inv1te";
    private static final String CDATA_SECRET = "cd&ta<key";
    private static final String MIXED_TEXT_SECRET = "m1xed-";
    private static final String MIXED_CDATA_SECRET = "<cdata>";
    private static final String MIXED_TAIL_SECRET = "-ta1l";
    private static final String FAST_TOKEN_SECRET = "fa5t-t0ken";
    private static final String FAST_LOGIN_SECRET = "ht-pr00f";

    /** A whole client stream: registration and legacy auth before SASL, tricky stanzas, a password change after bind. */
    private static final String STREAM = CLIENT_HEADER
            + "<iq type='set' id='r1'><query xmlns='jabber:iq:register'><username>bob</username>"
            + "<password>" + REGISTER_SECRET + "</password></query></iq>"
            + "<iq type='set' id='a1'><query xmlns='jabber:iq:auth'><username>bob</username>"
            + "<password>" + LEGACY_SECRET + "</password><resource>r</resource></query></iq>"
            + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + PLAIN_SECRET + "</auth>"
            // SASL2 with FAST (XEP-0484): a token login, and a token handed out (both ways in one stream: the redactor is per direction and does not mind)
            + "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-NONE'><initial-response>" + FAST_LOGIN_SECRET
            + "</initial-response><fast xmlns='urn:xmpp:fast:0' count='1' token='kept'/></authenticate>"
            + "<success xmlns='urn:xmpp:sasl:2'><token xmlns='urn:xmpp:fast:0' expiry='2026-12-24T00:00:00Z' token=\""
            + FAST_TOKEN_SECRET + "\"/><tokens token='kept'/></success>"
            + CLIENT_HEADER
            + "<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>"
            + "<message to='c@a.example' x='a > b' y=\"</message>\"><body><!-- </message><iq> -->"
            + "<![CDATA[</body></message><iq type='set'><query xmlns='jabber:iq:register'><password>cdata]]></body>"
            + "<nested><nested/><nested a='/'>x</nested></nested></message>"
            + "<presence><status>&lt;auth mechanism='PLAIN'&gt;</status></presence>"
            // only same-named tags count while skipping: a forwarded <message> nests, look-alike names do not
            + "<message from='a@a.example'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
            + "<message a='/>' b=\"x>\" xmlns='jabber:client'><messages/><message/><messagex>y</messagex>"
            + "<message\n/><body>fwd</body></message ></forwarded></sent></message>"
            + "<sm:a xmlns:sm='urn:xmpp:sm:3'><sm:a/><sm:ab>t</sm:ab><a>u</a><sm:a>v</sm:a></sm:a\t>"
            // a <password> in a stanza passed over: joining a MUC room, an invitation, any other namespace
            + "<presence to='room@muc.a.example/bob'><x xmlns='http://jabber.org/protocol/muc'>"
            + "<history maxstanzas='0'/><password>" + ROOM_SECRET + "</password></x></presence>"
            + "<message to='room@muc.a.example'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='c@a.example'/>"
            + "<password\n>" + INVITE_SECRET + "</password><passwords>kept</passwords><pass>kept</pass><password/>kept after an empty one</x></message>"
            // a direct invitation: the password attribute of <x>, and only that
            + "<message to='c@a.example'><x xmlns='jabber:x:conference' jid='room@muc.a.example' passwords='kept' pass='kept'"
            + " password = \"" + DIRECT_INVITE_SECRET + "\" reason='a password=\"kept\"'/><xy password='kept'/>"
            + "<x><password>" + ROOM_SECRET + "</password></x></message>"
            // the same with prefixes, and room passwords sent as CDATA (whole, or between text)
            + "<presence to='room@muc.a.example/carol'><muc:x xmlns:muc='http://jabber.org/protocol/muc'>"
            + "<muc:password>" + PREFIXED_SECRET + "</muc:password></muc:x></presence>"
            + "<message to='c@a.example'><c:x xmlns:c='jabber:x:conference' jid='room@muc.a.example' password=\""
            + PREFIXED_INVITE_SECRET + "\"/><c:xy password='kept'/><c:password-hint>kept</c:password-hint></message>"
            + "<presence to='room@muc.a.example/dave'><x xmlns='http://jabber.org/protocol/muc'>"
            + "<password><![CDATA[" + CDATA_SECRET + "]]></password><![CDATA[kept]]></x></presence>"
            + "<presence to='room@muc.a.example/erin'><x xmlns='http://jabber.org/protocol/muc'><password>" + MIXED_TEXT_SECRET
            + "<![CDATA[" + MIXED_CDATA_SECRET + "]]>" + MIXED_TAIL_SECRET + "</password><status><![CDATA[kept]]></status></x></presence>"
            + "<iq type='get' id='d1'><query xmlns='http://jabber.org/protocol/disco#info'><password a='>'>" + OTHER_SECRET
            + "</password></query></iq>"
            // an iq payload passed over by its name: a password in it is still masked, nested iqs and queries are kept
            + "<iq type='set' id='p1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item>"
            + "<iq><query xmlns='jabber:iq:register'><username>kept</username></query></iq><pubsub/>"
            + "<password>" + PUBSUB_SECRET + "</password></item></publish></pubsub></iq>"
            // a room's configuration: its secret field is masked, the other fields kept
            + "<iq type='set' id='o1'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>"
            + "<field var='muc#roomconfig_roomname'><value>kept</value></field>"
            + "<field var='muc#roomconfig_roomsecret'><value>" + CONFIG_SECRET + "</value></field></x></query></iq>"
            // empty elements passed over by name: nothing of theirs may stay open
            + "<presence/><a xmlns='urn:xmpp:sm:3' h='1' /><presence type='unavailable'\n/><r xmlns='urn:xmpp:sm:3' x='/>'/>"
            // a carbon: its forwarded message ends with the same plain end tag as itself
            + "<message from='a@a.example'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
            + "<message><body>in</body></message><message/></forwarded></received></message>"
            + "<iq type='set' id='c1'><query xmlns='jabber:iq:register'><username>bob</username>"
            + "<password>" + CHANGED_SECRET + "</password></query></iq>"
            + "<iq type='set' id='f1'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>"
            + "<field var='password'><value>" + FORM_SECRET + "</value></field></x></query></iq>"
            + "<message><body>after all that</body></message>";

    private static final List<String> SECRETS = List.of(REGISTER_SECRET, LEGACY_SECRET, PLAIN_SECRET, CHANGED_SECRET,
            FORM_SECRET, ROOM_SECRET, INVITE_SECRET, OTHER_SECRET, CONFIG_SECRET, PUBSUB_SECRET, DIRECT_INVITE_SECRET, PREFIXED_SECRET,
            PREFIXED_INVITE_SECRET, CDATA_SECRET, MIXED_TEXT_SECRET, MIXED_CDATA_SECRET, MIXED_TAIL_SECRET, FAST_TOKEN_SECRET, FAST_LOGIN_SECRET);

    @Test
    void aStreamInOneReadHasExactlyItsSecretsMasked() {
        SecretRedactor.Result r = new SecretRedactor().redact(bytes(STREAM));
        assertEquals(expected().replace("*".repeat(PLAIN_SECRET.length()), PLAIN_USER_KEPT), text(r.bytes()),
                "in one read, PLAIN keeps its username");
        assertEquals(Set.of("in-band registration (jabber:iq:register) password",
                "legacy authentication (jabber:iq:auth) password", "SASL PLAIN password (the username is kept)",
                "password in a stanza (MUC: joining a room, an invitation)", "MUC room password (room configuration)",
                "SASL HT-SHA-256-NONE credentials", "FAST token (XEP-0484: it logs in as a password does)"), r.kinds());
    }

    @Test
    void cutIntoTwoReadsAtEveryPositionTheSecretsAreStillMaskedAndNothingElse() {
        byte[] all = bytes(STREAM);
        String expected = expected();
        for (int cut = 0; cut <= all.length; cut++) {
            assertEquals(expected, redactInPieces(all, cut, cut), "cut at " + cut);
        }
    }

    @Test
    void cutIntoThreeReadsAroundEverySecretTheyAreStillMasked() {
        byte[] all = bytes(STREAM);
        String expected = expected();
        for (String secret : SECRETS) {
            int at = STREAM.indexOf(secret) - 1;
            for (int cut1 = at - 40; cut1 <= at + secret.length() + 2; cut1++) {
                for (int len = 1; len <= 12; len++) {
                    assertEquals(expected, redactInPieces(all, cut1, cut1 + len), "cuts at " + cut1 + " and " + (cut1 + len));
                }
            }
        }
    }

    @Test
    void cutIntoManyReadsAtRandomTheSecretsAreStillMasked() {
        byte[] all = bytes(STREAM);
        String expected = expected();
        java.util.Random random = new java.util.Random(5222);
        for (int trial = 0; trial < 300; trial++) {
            SecretRedactor r = new SecretRedactor();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int at = 0; at < all.length; ) {
                int end = Math.min(all.length, at + 1 + random.nextInt(random.nextBoolean() ? 9 : 200));
                byte[] part = Arrays.copyOfRange(all, at, end);
                SecretRedactor.Result res = r.redact(part);
                assertEquals(part.length, res.bytes().length);
                out.writeBytes(res.bytes());
                at = end;
            }
            assertEquals(expected, text(out.toByteArray()).replace(PLAIN_USER_KEPT, "*".repeat(PLAIN_SECRET.length())),
                    "trial " + trial);
        }
    }

    @Test
    void oneByteAtATimeTheSecretsAreStillMasked() {
        byte[] all = bytes(STREAM);
        SecretRedactor r = new SecretRedactor();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Set<String> kinds = new LinkedHashSet<>();
        for (int i = 0; i < all.length; i++) {
            SecretRedactor.Result res = r.redact(new byte[] {all[i]});
            out.writeBytes(res.bytes());
            kinds.addAll(res.kinds());
        }
        assertEquals(expected(), text(out.toByteArray()), "split, PLAIN is masked whole");
        assertEquals(7, kinds.size(), kinds.toString());
    }

    @Test
    void aCdataPasswordWithClosingBracketsInsideIsMaskedUpToItsEndMarker() {
        SecretRedactor r = new SecretRedactor();
        r.redact(bytes(CLIENT_HEADER));
        String join = "<presence to='room@muc.a.example/bob'><x xmlns='http://jabber.org/protocol/muc'><password>"
                + "<![CDATA[%s]]></password></x></presence>";
        SecretRedactor.Result res = r.redact(bytes(String.format(join, "a]b]]c]")));
        assertEquals(String.format(join, "*******"), text(res.bytes()));
    }

    @Test
    void aReadWithoutSecretsIsReturnedAsTheSameArray() {
        SecretRedactor r = new SecretRedactor();
        r.redact(bytes(CLIENT_HEADER));
        byte[] message = bytes("<message to='b@b.example'><body>hello</body></message>");
        SecretRedactor.Result res = r.redact(message);
        assertFalse(res.redacted());
        assertSame(message, res.bytes(), "no copy when nothing is masked");
    }

    private static String redactInPieces(byte[] all, int cut1, int cut2) {
        int a = Math.max(0, Math.min(all.length, cut1));
        int b = Math.max(a, Math.min(all.length, cut2));
        SecretRedactor r = new SecretRedactor();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : List.of(Arrays.copyOfRange(all, 0, a), Arrays.copyOfRange(all, a, b),
                Arrays.copyOfRange(all, b, all.length))) {
            SecretRedactor.Result res = r.redact(part);
            assertEquals(part.length, res.bytes().length);
            out.writeBytes(res.bytes());
        }
        // a read holding the whole PLAIN payload keeps its username, a split one masks all of it
        return text(out.toByteArray()).replace(PLAIN_USER_KEPT, "*".repeat(PLAIN_SECRET.length()));
    }

    private static String expected() {
        String s = STREAM;
        for (String secret : SECRETS) {
            String mask = "*".repeat(secret.length());
            s = s.replace(">" + secret + "<", ">" + mask + "<").replace("\"" + secret + "\"", "\"" + mask + "\"")
                    .replace("[" + secret + "]", "[" + mask + "]");
        }
        return s;
    }
}
