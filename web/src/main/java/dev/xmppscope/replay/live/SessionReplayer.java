package dev.xmppscope.replay.live;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.SaslPlainMessage;
import dev.xmppscope.capture.file.CaptureSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-sends the client side of a recorded c2s session to a live server, in a fresh stream:
 * the user's credentials replace the recorded ones (SASL PLAIN rebuilt, SCRAM computed anew),
 * and instead of the recorded timing it waits for what each step expects (features after a
 * header, {@code <proceed/>}, the SASL outcome, the answer with the same IQ id, SM acks).
 * The new session is recorded into {@code recording}; the report compares the server's answers.
 */
public final class SessionReplayer {
    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

    private final Duration timeout;
    private final boolean insecure;

    /**
     * @param timeout  how long to wait for each expected answer
     * @param insecure accept any TLS certificate (a test server's self-signed one)
     */
    public SessionReplayer(Duration timeout, boolean insecure) {
        this.timeout = timeout;
        this.insecure = insecure;
    }

    /** Checks {@code user} is a bare JID, before anything is sent or written. */
    public static void checkUser(String user) {
        int at = user.indexOf('@');
        if (at <= 0 || at == user.length() - 1 || user.contains("/")) {
            throw new IllegalArgumentException("--user must be a bare JID like alice@a.example, not '" + user + "'");
        }
    }

    /** Checks a {@code --stream-to} domain, before anything is sent or written. */
    public static void checkStreamTo(String domain) {
        StreamTo.check(domain);
    }

    /** A TCP connection to the live server, opened before the replay writes anything: an unreachable server fails here. */
    public Socket connect(InetSocketAddress to) {
        return LiveSession.connect(to, timeout);
    }

    /**
     * Loads connection {@code connectionId} of {@code capture}, connects and replays it: for tests
     * and callers that need no check between those steps.
     */
    public ReplayReport replay(CaptureSource capture, long connectionId, InetSocketAddress to, String user, String password,
                               CaptureSink recording, long liveId) {
        RecordedSession rec = RecordedSession.load(capture, connectionId);
        try (Socket socket = connect(to)) {
            return replay(rec, socket, to, user, null, password, recording, liveId);
        } catch (IOException e) {
            throw new UncheckedIOException("closing the connection to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param socket   a connection to {@code to} from {@link #connect}, closed when the replay ends
     * @param user     the bare JID to log in as (its domain is the stream's {@code to}, unless {@link StreamTo} keeps the recorded one)
     * @param streamTo the domain the stream's header asks for instead ({@code --stream-to}), or null
     * @param liveId   the connection id the new session gets in {@code recording}
     */
    public ReplayReport replay(RecordedSession rec, Socket socket, InetSocketAddress to, String user, String streamTo,
                               String password, CaptureSink recording, long liveId) {
        checkUser(user);
        if (streamTo != null) {
            checkStreamTo(streamTo);
        }
        String domain = user.substring(user.indexOf('@') + 1);
        String recordedUser = recordedUser(rec);
        Progress run = new Progress();
        StreamTo header = StreamTo.choose(rec, domain, streamTo);
        if (header.note() != null) {
            run.notes.add(header.note());
        }
        if (recordedUser != null && !recordedUser.equalsIgnoreCase(user)
                && rec.client().stream().anyMatch(p -> p.xml().contains(recordedUser))) {
            run.notes.add(recordedUser + " in what the client sent is sent as " + user + " (--user)");
        }
        String masked = rec.maskedSecretsNote();
        if (masked != null) {
            run.notes.add(masked);
        }
        String tlsName = header.domain() != null ? header.domain() : domain; // the server is asked for this name
        try (LiveSession live = new LiveSession(liveId, to, socket, recording, insecure, rec.directTls ? tlsName : null)) {
            run(rec, live, user, header, tlsName, password, recordedUser, run);
            live.settle(Duration.ofMillis(300), Duration.ofSeconds(3));
            List<String> users = recordedUser == null ? List.of(user) : List.of(user, recordedUser);
            AnswerShape shape = new AnswerShape(run.clientIds, users);
            List<Piece> recorded = rec.server();
            if (run.authFailure != null) { // compared up to the login: nothing after it was sent
                run.notes.remove(masked);
                recorded = recorded.subList(0, Math.min(recorded.size(), recordedSaslOutcome(recorded) + 1));
            }
            List<String> before = recorded.stream().map(shape::of).toList();
            List<String> now = live.received().stream().map(shape::of).toList();
            return new ReplayReport(rec.id(), liveId, LineDiff.diff(before, now), run.notes, run.authFailure);
        }
    }

    /** What one replay has learned so far. */
    private static final class Progress {
        final List<String> notes = new ArrayList<>();
        final Set<String> clientIds = new HashSet<>();
        /** The SASL failure's condition when the server refused the login the recording had accepted. */
        String authFailure;
    }

    private void run(RecordedSession rec, LiveSession live, String user, StreamTo header, String tlsName, String password,
                     String recordedUser, Progress run) {
        String local = user.substring(0, user.indexOf('@'));
        ScramClient scram = null;
        List<Piece> recordedAnswers = rec.server();
        int recordedOutcome = recordedSaslOutcome(recordedAnswers);
        boolean recordedLoginSucceeded = recordedOutcome >= 0 && recordedAnswers.get(recordedOutcome).name().equals("success");
        boolean refusalAsked = rec.headerRefusal() != null && Objects.equals(header.domain(), rec.streamTo());
        for (Piece p : rec.client()) {
            String xml = recordedUser == null ? p.xml() : p.xml().replace(recordedUser, user);
            String id = p.attribute("id");
            if (id != null) {
                run.clientIds.add(id);
            }
            int mark = live.size();
            if (live.serverClosed()) {
                run.notes.add("the server closed the stream before the client sent " + LiveSession.abbreviate(p.xml()));
                return;
            }
            List<String> notes = run.notes;
            if (p.isHeader()) {
                live.send(header.apply(xml));
                Piece answer = refusalAsked // the recorded stream error is an answer too, not a reason for a note
                        ? live.await(mark, x -> x.name().equals("stream:features") || x.name().equals("stream:error"), timeout)
                        : expect(live, mark, "stream features", x -> x.name().equals("stream:features"), notes);
                if (answer == null && !live.serverClosed()) {
                    // waiting as long again for each later step would only make the silence longer
                    throw new IllegalStateException("the server sent no stream features within " + timeout.toSeconds()
                            + " s of the stream header: is --to an XMPP server's c2s port?");
                }
                continue;
            }
            if (p.isClose()) {
                live.send(xml);
                live.await(mark, Piece::isClose, Duration.ofSeconds(2));
                return;
            }
            switch (p.name()) {
                case "starttls" -> {
                    live.send(xml);
                    Piece answer = expect(live, mark, "<proceed/>", x -> x.name().equals("proceed") || x.name().equals("failure"), notes);
                    if (answer == null || !answer.name().equals("proceed")) {
                        // going on would send the rest, the login's password included, in the clear
                        throw new IllegalStateException("the server " + (answer != null ? "answered <starttls/> with "
                                + LiveSession.abbreviate(answer.xml()) : live.serverClosed() ? "closed the connection instead"
                                + " of answering <starttls/>" : "sent no <proceed/> within " + timeout.toSeconds()
                                + " s of <starttls/>") + ": the replay stops there rather than send the rest"
                                + " of the session, its login included, without the TLS the recorded client had");
                    }
                    live.startTls(tlsName);
                }
                case "auth" -> {
                    Login login = authenticate(live, mark, p, local, password, notes);
                    scram = login.scram();
                    if (login.failure() != null && recordedLoginSucceeded) {
                        // the rest would go to an unauthenticated stream: bind refused, then a stream error
                        run.authFailure = condition(login.failure());
                        live.send("</stream:stream>");
                        live.await(live.size(), Piece::isClose, Duration.ofSeconds(2));
                        return;
                    }
                }
                case "response" -> {
                    if (scram == null) {
                        live.send(xml); // some other mechanism's step: as recorded
                    } // SCRAM's response was computed in authenticate()
                }
                case "iq" -> {
                    live.send(xml);
                    String type = p.attribute("type");
                    if (id != null && ("get".equals(type) || "set".equals(type))) {
                        if (live.await(mark, x -> x.name().equals("iq") && id.equals(x.attribute("id")), timeout) == null) {
                            notes.add("no answer within " + timeout.toSeconds() + " s to " + LiveSession.abbreviate(p.xml()));
                        }
                    }
                }
                case "enable" -> {
                    live.send(xml);
                    expect(live, mark, "<enabled/>", x -> x.name().equals("enabled") || x.name().equals("failed"), notes);
                }
                case "resume" -> {
                    live.send(xml);
                    expect(live, mark, "<resumed/>", x -> x.name().equals("resumed") || x.name().equals("failed"), notes);
                }
                case "r" -> {
                    live.send(xml);
                    expect(live, mark, "<a/>", x -> x.name().equals("a"), notes);
                }
                default -> {
                    live.send(xml);
                    live.settle(Duration.ofMillis(100), Duration.ofSeconds(1));
                }
            }
        }
    }

    /** Whether a login under {@code mechanism} is rebuilt with the new credentials ({@link #authenticate}), not re-sent as recorded. */
    static boolean rebuildsLogin(String mechanism) {
        return "PLAIN".equals(mechanism) || mechanism != null && mechanism.startsWith("SCRAM-");
    }

    /** How a login went: the SCRAM state (for its later steps), and the server's {@code <failure/>} if it refused. */
    private record Login(ScramClient scram, Piece failure) {
        static Login of(ScramClient scram, Piece outcome) {
            return new Login(scram, outcome != null && outcome.name().equals("failure") ? outcome : null);
        }
    }

    private Login authenticate(LiveSession live, int mark, Piece p, String local, String password, List<String> notes) {
        String mechanism = p.attribute("mechanism");
        Predicate<Piece> outcome = x -> x.name().equals("success") || x.name().equals("failure");
        if ("PLAIN".equals(mechanism)) {
            String payload = Base64.getEncoder().encodeToString(("\0" + local + "\0" + password).getBytes(StandardCharsets.UTF_8));
            String head = "<auth xmlns='" + SASL + "' mechanism='PLAIN'>";
            // stored as the proxy stores it: the password masked, the username kept (the negotiation says "as bob")
            String masked = new String(SaslPlainMessage.decode(payload.getBytes(StandardCharsets.US_ASCII)).withPasswordMasked(),
                    StandardCharsets.US_ASCII);
            live.sendMasked(head + payload + "</auth>", head + masked + "</auth>", "SASL PLAIN password (the username is kept)");
            return Login.of(null, expect(live, mark, "the SASL outcome", outcome, notes));
        }
        if (mechanism != null && mechanism.startsWith("SCRAM-")) {
            ScramClient scram = new ScramClient(mechanism, local, password);
            live.send("<auth xmlns='" + SASL + "' mechanism='" + mechanism + "'>" + scram.clientFirst() + "</auth>");
            Piece challenge = expect(live, mark, "a SCRAM challenge", x -> x.name().equals("challenge") || x.name().equals("failure"), notes);
            if (challenge == null || !challenge.name().equals("challenge")) {
                return Login.of(scram, challenge);
            }
            int next = live.size();
            live.send("<response xmlns='" + SASL + "'>" + scram.clientFinal(inner(challenge.xml())) + "</response>");
            Piece result = expect(live, next, "the SASL outcome", outcome, notes);
            if (result != null && result.name().equals("success") && !scram.verifyServerFinal(inner(result.xml()))) {
                notes.add("the server's SCRAM signature did not verify");
            }
            return Login.of(scram, result);
        }
        notes.add("SASL " + mechanism + " is re-sent as recorded (only PLAIN and SCRAM get the new credentials)");
        live.send(p.xml());
        return Login.of(null, expect(live, mark, "the SASL outcome", outcome.or(x -> x.name().equals("challenge")), notes));
    }

    /** Index of the server's first SASL {@code <success/>} or {@code <failure/>} among {@code server}, or -1. */
    private static int recordedSaslOutcome(List<Piece> server) {
        for (int i = 0; i < server.size(); i++) {
            String name = server.get(i).name();
            if ((name.equals("success") || name.equals("failure")) && server.get(i).xml().contains(SASL)) {
                return i;
            }
        }
        return -1;
    }

    /** "not-authorized": the defined condition a SASL {@code <failure/>} or a stream error carries (RFC 6120 6.5, 4.9), its first child. */
    static String condition(Piece failure) {
        Matcher m = Pattern.compile("<(?:[\\w.-]+:)?([\\w.-]+)").matcher(inner(failure.xml()));
        return m.find() ? m.group(1) : "no condition given";
    }

    private Piece expect(LiveSession live, int mark, String what, Predicate<Piece> p, List<String> notes) {
        Piece found = live.await(mark, p.or(x -> x.name().equals("stream:error")), timeout);
        if (found == null) {
            notes.add("waited " + timeout.toSeconds() + " s for " + what + " in vain");
        } else if (found.name().equals("stream:error")) {
            notes.add("the server sent a stream error instead of " + what);
        }
        return found;
    }

    /** The recorded user's bare JID, from the bind result. */
    private static String recordedUser(RecordedSession rec) {
        for (Piece p : rec.server()) {
            int i = p.xml().indexOf("<jid>");
            if (p.name().equals("iq") && i >= 0) {
                String jid = p.xml().substring(i + 5, p.xml().indexOf("</jid>", i));
                int slash = jid.indexOf('/');
                return slash < 0 ? jid : jid.substring(0, slash);
            }
        }
        return null;
    }

    private static String inner(String xml) {
        int start = xml.indexOf('>') + 1;
        int end = xml.lastIndexOf("</");
        return end > start ? xml.substring(start, end) : "";
    }
}
