package dev.xmppscope.proxy.xmpp;

import static dev.xmppscope.proxy.xmpp.WireText.CLIENT_HEADER;
import static dev.xmppscope.proxy.xmpp.WireText.bytes;
import static dev.xmppscope.proxy.xmpp.WireText.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Streams written at random, each knowing by construction which of its bytes are secret: a
 * token mechanism's SASL payload, the text of {@code <password>} elements, the values of private
 * data form fields, the {@code password} attribute of {@code <x>}. They vary what a fixed corpus cannot: prefixes,
 * quoting, whitespace inside tags, entities, comments, CDATA and processing instructions in and
 * around secrets, look-alike names, markup quoted inside comments and CDATA. Each stream is
 * redacted in reads cut at random, and must come out with exactly its secret bytes masked.
 */
class SecretRedactorRandomStreamsTest {
    private static final String[] PREFIXES = {"p", "muc", "xd", "ns1"};
    private static final String TEXT_CHARS = "abcXYZ019 -_.,;:!?=/()[]{}#%+*@>\"'\t\n";

    @Test
    void randomStreamsInRandomReadsHaveExactlyTheirSecretsMasked() {
        for (int seed = 0; seed < 400; seed++) {
            Random random = new Random(seed);
            Stream s = new Stream(random);
            s.write(CLIENT_HEADER);
            s.sasl();
            s.write(CLIENT_HEADER);
            for (int k = 0; k < 12; k++) {
                s.stanza();
            }
            byte[] all = bytes(s.out.toString());
            String expected = s.expected();
            for (int trial = 0; trial < 6; trial++) {
                String got = redactInReads(all, random, trial == 0 ? all.length : trial < 3 ? 9 : 300);
                assertEquals(expected, got, "seed " + seed + ", trial " + trial + "; the stream:\n" + s.out);
            }
        }
    }

    private static String redactInReads(byte[] all, Random random, int maxRead) {
        SecretRedactor r = new SecretRedactor();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < all.length; ) {
            int end = Math.min(all.length, at + 1 + random.nextInt(maxRead));
            byte[] part = Arrays.copyOfRange(all, at, end);
            SecretRedactor.Result res = r.redact(part);
            assertEquals(part.length, res.bytes().length);
            out.writeBytes(res.bytes());
            at = end;
        }
        return text(out.toByteArray());
    }

    /** A stream being written, with the ranges of it that are secret. */
    private static final class Stream {
        final Random random;
        final StringBuilder out = new StringBuilder();
        final List<int[]> secrets = new ArrayList<>();

        Stream(Random random) {
            this.random = random;
        }

        void write(String s) {
            out.append(s);
        }

        /** Writes {@code s}, all of it secret. */
        void secret(String s) {
            secrets.add(new int[] {out.length(), out.length() + s.length()});
            out.append(s);
        }

        String expected() {
            char[] c = out.toString().toCharArray();
            for (int[] r : secrets) {
                Arrays.fill(c, r[0], r[1], '*');
            }
            return new String(c);
        }

        boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }

        <T> T pick(T[] options) {
            return options[random.nextInt(options.length)];
        }

        /**
         * SASL before the stream restarts: a token sent in {@code <auth>}, or after an empty one in a
         * {@code <response>}, is secret; a SCRAM exchange is not (PLAIN, whose username is kept when
         * its payload comes in one read, has tests of its own).
         */
        void sasl() {
            Name auth = name("auth");
            String ns = " xmlns" + auth.colonPrefix() + "='urn:ietf:params:xml:ns:xmpp-sasl'";
            String mechanism = pick(new String[] {"X-OAUTH2", "OAUTHBEARER", "SCRAM-SHA-1", "x-oauth2"});
            boolean secret = !mechanism.startsWith("SCRAM");
            String token = "dG9r" + chars("", random.nextInt(20)).replaceAll("[^A-Za-z0-9]", "Q") + "==";
            if (chance(50)) {
                write(auth.open(ns + space1() + "mechanism=" + quoted(mechanism, false)));
                emit(token, secret);
                write(auth.close());
            } else {
                write("<" + auth.qualified() + ns + " mechanism=" + quoted(mechanism, false) + space() + "/>");
                write("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>kept</challenge>");
                Name response = new Name(auth.prefix, "response");
                write(response.open(ns));
                emit(token, secret);
                write(response.close());
            }
            write("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        }

        void stanza() {
            switch (random.nextInt(8)) {
                case 0 -> message();
                case 1 -> joinRoom();
                case 2 -> directInvitation();
                case 3 -> registration();
                case 4 -> dataForm();
                case 5 -> lookAlikes();
                case 6 -> quotedMarkup();
                default -> write("<presence/>" + space());
            }
        }

        void message() {
            write("<message to='b@b.example' id='m" + random.nextInt(1000) + "'><body>");
            text(false);
            write("</body></message>");
        }

        void joinRoom() {
            write("<presence to='room@muc.a.example/n'>");
            Name x = name("x");
            write(x.open(" xmlns" + x.colonPrefix() + "='http://jabber.org/protocol/muc'") + "<history maxstanzas='0'/>");
            password(x.prefix);
            write(x.close() + "</presence>");
        }

        void directInvitation() {
            Name x = name("x");
            List<String> attributes = new ArrayList<>(List.of("xmlns" + x.colonPrefix() + "='jabber:x:conference'",
                    "jid='room@muc.a.example'", "reason=" + quoted("a password='kept' > 1", false)));
            int at = random.nextInt(attributes.size() + 1);
            write("<message to='c@a.example'><" + x.qualified());
            for (int i = 0; i < attributes.size() + 1; i++) {
                write(space1());
                if (i == at) {
                    write("password" + space() + "=" + space());
                    quoted(null, true);
                } else {
                    write(attributes.get(i < at ? i : i - 1));
                }
            }
            write(space() + "/>");
            write("<" + x.prefixed("xy") + " password='kept'/></message>");
        }

        void registration() {
            write("<iq type='set' id='r" + random.nextInt(1000) + "'>");
            Name q = name("query");
            write(q.open(" xmlns" + q.colonPrefix() + "='jabber:iq:register'") + "<username>u</username>");
            password(q.prefix);
            write(q.close() + "</iq>");
        }

        void dataForm() {
            write("<iq type='set' id='f" + random.nextInt(1000) + "'><query xmlns='"
                    + pick(new String[] {"jabber:iq:register", "http://jabber.org/protocol/muc#owner", "urn:example"}) + "'>");
            Name form = name("x");
            write(form.open(" xmlns" + form.colonPrefix() + "='jabber:x:data' type='submit'"));
            for (int f = random.nextInt(4); f >= 0; f--) {
                field(form.prefix);
            }
            write(form.close() + "</query></iq>");
        }

        void field(String prefix) {
            String[][] kinds = {{"type='text-private' var='pin'", "y"}, {"var='password'", "y"}, {"var=\"password\" type='text-single'", "y"},
                    {"var='muc#roomconfig_roomsecret'", "y"}, {"var='pass&#119;ord'", "y"}, {"type='text&#x2d;private'", "y"},
                    {"var='muc#roomconfig_roomname'", "n"}, {"var='passwords'", "n"}, {"type='text-single' var='x'", "n"},
                    {"var='label' label='password'", "n"}};
            String[] kind = pick(kinds);
            boolean secret = kind[1].equals("y");
            Name field = new Name(prefix, "field");
            if (chance(10)) {
                write("<" + field.qualified() + space1() + kind[0] + space() + "/>");
                return;
            }
            write(field.open(space1() + kind[0]));
            if (chance(30)) {
                write("<desc>a value: <![CDATA[<value>kept</value>]]></desc>");
            }
            for (int v = random.nextInt(3); v >= 0; v--) {
                Name value = new Name(prefix, "value");
                write(value.open(""));
                text(secret);
                write(value.close());
            }
            write(field.close());
        }

        /** Names that begin like a looked-at one, and look-alike attributes, none of them secret. */
        void lookAlikes() {
            write("<message to='c@a.example'><x xmlns='urn:example'><passwords>kept</passwords><password-hint a='/>'>kept"
                    + "</password-hint><xy password='kept'/><value>kept</value><field var='a'><value>kept</value></field>"
                    + "<x passwords='kept' pass='kept'/>" + (chance(50) ? "<password/>" : "<password" + space1() + "/>")
                    + "</x></message>");
        }

        /** Markup inside comments, CDATA and PIs outside any secret is text, never tags. */
        void quotedMarkup() {
            write("<message><body>");
            String fake = pick(new String[] {"<password>kept</password>", "<x password='kept'/>",
                "<field var='password'><value>kept</value></field>", "<password"});
            switch (random.nextInt(3)) {
                case 0 -> write("<!-- " + fake + " -->");
                case 1 -> write("<![CDATA[" + fake + "]]>");
                default -> write("<?pi " + fake + "?>");
            }
            write("</body></message>");
        }

        /** A {@code <password>} element with a secret (or none, empty) in it. */
        void password(String prefix) {
            Name p = new Name(chance(40) ? prefix : chance(20) ? pick(PREFIXES) : "", "password");
            String declaration = p.prefix.isEmpty() || p.prefix.equals(prefix) ? "" : " xmlns:" + p.prefix + "='urn:example'";
            if (chance(10)) {
                write("<" + p.qualified() + declaration + space() + "/>");
                return;
            }
            write(p.open(declaration));
            text(true);
            write(p.close());
        }

        /** Character data of one to three runs, with entities, CDATA, comments and PIs between them. */
        void text(boolean secret) {
            for (int run = random.nextInt(3); run >= 0; run--) {
                switch (random.nextInt(5)) {
                    case 0 -> {
                        write("<![CDATA[");
                        emit(sectionText(chars("<&]>]", 1 + random.nextInt(12)).replace("]]>", "]] >"), secret), secret);
                        write("]]>");
                    }
                    case 1 -> {
                        write("<!--");
                        emit(sectionText(" " + chars("<>&-", random.nextInt(10)).replace("--", "- ") + " ", secret), secret);
                        write("-->");
                    }
                    case 2 -> write("<?note " + chars("<>", random.nextInt(6)).replace("?>", "? >") + "?>"); // never a secret's text
                    default -> emit(chars("", 1 + random.nextInt(12)) + pick(new String[] {"", "&amp;", "&lt;", "&#65;", "&apos;"}),
                            secret);
                }
            }
        }

        /**
         * A secret's comment or CDATA content holds no {@code ']'} or {@code '-'}: one that ends a read
         * may begin the end marker, so the redactor holds it back, and it stays unmasked when the
         * next read shows it was content (SecretRedactorTest specifies that).
         */
        static String sectionText(String s, boolean secret) {
            return secret ? s.replace(']', 'x').replace('-', 'x') : s;
        }

        void emit(String s, boolean secret) {
            if (secret) {
                secret(s);
            } else {
                write(s);
            }
        }

        /** An attribute value in random quotes; its content is a secret when {@code value} is null. */
        String quoted(String value, boolean secretValue) {
            char q = chance(50) ? '\'' : '"';
            String content = value != null ? value : chars("", 1 + random.nextInt(10)) + (chance(30) ? "&amp;" : "");
            content = content.replace(String.valueOf(q), q == '\'' ? "&apos;" : "&quot;");
            if (secretValue) {
                write(String.valueOf(q));
                secret(content);
                write(String.valueOf(q));
                return "";
            }
            return q + content + q;
        }

        String chars(String extra, int n) {
            String alphabet = TEXT_CHARS + extra;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                sb.append(c == '<' && extra.indexOf('<') < 0 ? 'x' : c);
            }
            return sb.toString();
        }

        String space() {
            return chance(70) ? "" : pick(new String[] {" ", "\n", "\t", "  "});
        }

        String space1() {
            return chance(70) ? " " : pick(new String[] {"\n", "\t", " \n "});
        }

        Name name(String local) {
            return new Name(chance(30) ? pick(PREFIXES) : "", local);
        }

        /** An element name, prefixed or not; its tags come with random whitespace. */
        final class Name {
            final String prefix;
            final String local;

            Name(String prefix, String local) {
                this.prefix = prefix;
                this.local = local;
            }

            String qualified() {
                return prefixed(local);
            }

            String prefixed(String name) {
                return prefix.isEmpty() ? name : prefix + ":" + name;
            }

            String colonPrefix() {
                return prefix.isEmpty() ? "" : ":" + prefix;
            }

            String open(String attributes) {
                return "<" + qualified() + attributes + space() + ">";
            }

            String close() {
                return "</" + qualified() + space() + ">";
            }
        }
    }
}
