package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.CaptureSource;
import dev.xmppscope.capture.file.ConnectionRenumbering;
import dev.xmppscope.replay.ReplayDiff;
import dev.xmppscope.replay.ReplayDiffStore;
import dev.xmppscope.replay.live.RecordedSession;
import dev.xmppscope.replay.live.ReplayReport;
import dev.xmppscope.replay.live.SessionReplayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code xmppscope replay}: a recorded c2s session, re-sent to a live server and compared. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
                "Re-sends the client side of a recorded client-to-server session to a live server, and shows how the server's answers differ from the recorded ones (a stanza-level diff).",
                "",
                "The replay opens a fresh stream to --to, logs in as --user with its password (SASL PLAIN is rebuilt, SCRAM is computed anew; the recorded credentials are never needed), and waits for what each step expects (features, <proceed/>, the SASL outcome, the answer carrying the same IQ id, stream management acks) instead of replaying the recorded timing. Both the recorded and the new session are written to --db, with the diff, so 'xmppscope open DB' shows them side by side and the diff under 'Replay diffs'.",
                "",
                "The stream's header asks for --user's domain (its 'to'), unless the recorded server refused the stream itself (host-unknown: the client asked for a domain the server does not serve): then it asks for the recorded domain again, to reproduce that. --stream-to DOMAIN asks for another. The report says what was sent other than as recorded (the stream's 'to', the recorded user's JID).",
                "",
                "A session recorded over Direct TLS (XEP-0368) is replayed over Direct TLS: give --to the server's Direct TLS port (5223 by default).",
                "",
                "The password comes from --password-file FILE (its first line), the XMPPSCOPE_PASSWORD environment variable, or a prompt on the terminal; --password SECRET works too, but other users of the machine see it in 'ps' and it stays in the shell's history.",
                "",
                "The replay stops at a SASL <failure/> where the recording logged in (a wrong --user or password): nothing more is sent to a stream that is not authenticated, and it says 'authentication failed (not-authorized): check --user and the password'. Where the recorded client started TLS and the server does not (no <proceed/>), it stops too, rather than send the rest, the login included, in the clear.",
                "",
                "Secrets the capture holds masked (a MUC room's password, an in-band registration's, a token; see 'xmppscope help proxy') cannot be recovered: they are re-sent as the '*' they were stored as, which the server refuses. The replay says so before it starts, naming them, and the diff's notes say it again. Record with --keep-secrets to replay them.",
                "",
                "Nothing is written (no --db, no replay-TIMESTAMP) until the connection is found in the capture, is a replayable c2s session and the server accepts a TCP connection. A replay that fails after that (TLS with the server refused, the server hanging up) says where it recorded what happened until then.",
                "",
                "Exit code: 0 when the server answered as recorded, 3 when answers differ, 4 when the server refused the login (authentication failed), 1 on other errors, 2 on a wrong option.",
                ""
        },
        footer = {
                "",
                "Examples:",
                "  # connection 3 (the # column of 'xmppscope open' in Connections)",
                "  xmppscope replay ~/captures/first --connection 3 --to 127.0.0.2:5222 \\",
                "      --user alice@a.example --password-file ~/.alice-password \\",
                "      --db ~/captures/first-again",
                "",
                "  # both sessions side by side, the diff under Replay diffs",
                "  xmppscope open ~/captures/first-again"
        })
final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CAPTURE", description = "a capture database PATH, or an .xscap/pcap/pcapng file")
    Path capture;

    @Option(names = "--connection", required = true, paramLabel = "ID", description = "the recorded c2s connection to re-send")
    long connection;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", description = "the live server's c2s address (an IP literal; its Direct TLS port for a session recorded over Direct TLS)")
    String to;

    @Option(names = "--user", required = true, paramLabel = "JID", description = "the bare JID to log in as")
    String user;

    @Option(names = "--stream-to", paramLabel = "DOMAIN", description = "the domain the stream's header asks for (default: --user's domain; the recorded one when the recorded server refused the stream, host-unknown say)")
    String streamTo;

    @Option(names = "--password", paramLabel = "SECRET", description = "its password (never stored; visible in 'ps': prefer --password-file)")
    String password;

    @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from this file's first line")
    Path passwordFile;

    @Option(names = "--db", paramLabel = "PATH", description = "where to record both sessions (default: replay-TIMESTAMP)")
    Path db;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "how long to wait for each expected answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--insecure", description = "accept any TLS certificate (a test server's self-signed one)")
    boolean insecure;

    /** The exit code when the server refused the login (a SASL failure): the replay stops there. */
    static final int AUTHENTICATION_FAILED = 4;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // everything that can be checked is checked before the output database is created
        InetSocketAddress target = parse(to);
        SessionReplayer.checkUser(user);
        if (streamTo != null) {
            SessionReplayer.checkStreamTo(streamTo);
        }
        CaptureSource source = source(capture);
        RecordedSession rec;
        try {
            rec = RecordedSession.load(source, connection);
        } catch (RecordedSession.UnknownConnection e) {
            throw ConnectionIds.missing(connection, capture, e.known());
        }
        String masked = rec.maskedSecretsNote();
        if (masked != null) {
            spec.commandLine().getErr().println("note: " + masked);
        }
        String secret = ReplayPassword.resolve(password, passwordFile, System.getenv(), System::console);
        SessionReplayer replayer = new SessionReplayer(Duration.ofSeconds(timeoutSeconds), insecure);
        Path out = db != null ? db : Path.of("replay-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        ReplayReport report;
        PrintWriter stdout = spec.commandLine().getOut();
        try (Socket socket = replayer.connect(target);
             CaptureStore store = CaptureStore.open(out); CaptureWriter writer = store.newWriter()) {
            long originalId = store.nextConnectionId();
            source.replay(new OnlyConnection(connection, new ConnectionRenumbering(writer, originalId)));
            writer.commit();
            long liveId = originalId + 1;
            try {
                report = replayer.replay(rec, socket, target, user, streamTo, secret, writer, liveId);
            } catch (RuntimeException e) {
                // the database exists now: say what it holds rather than leave it to be found
                throw new IllegalStateException(e.getMessage() + "\nthe replay up to there is recorded as connection " + liveId
                        + " in " + CaptureStore.dataFile(out) + ": xmppscope show " + out + " --negotiation " + liveId, e);
            }
            long at = java.time.Instant.now().toEpochMilli() * 1_000_000L;
            ReplayDiff diff = new ReplayDiffStore(store).save(ReplayDiff.of(report, at, to, originalId, liveId));
            stdout.print(TerminalSafe.text(report.text())); // the diff quotes what the server sent
            stdout.println("recorded: the capture's connection " + connection + " as connection " + originalId + " (as recorded)"
                    + " and the replay as connection " + liveId + " (now) in "
                    + CaptureStore.dataFile(out) + ", with this diff as replay diff " + diff.id() + "; see them with: xmppscope open " + out);
            stdout.flush();
        }
        if (report.authFailure() != null) {
            spec.commandLine().getErr().println("xmppscope: " + report.authFailureText());
            return AUTHENTICATION_FAILED;
        }
        return report.same() ? 0 : 3;
    }

    private static CaptureSource source(Path capture) {
        if (Files.isRegularFile(capture) && !Files.isRegularFile(CaptureStore.dataFile(capture))) {
            return CaptureFiles.open(capture); // which says why a file is not a capture
        }
        if (!Files.exists(CaptureStore.dataFile(capture))) {
            throw new IllegalArgumentException(CaptureOpening.noCaptureAt(capture));
        }
        return sink -> {
            try (CaptureStore store = CaptureStore.open(capture); CaptureReader r = store.newReader()) {
                r.replay(sink);
            }
        };
    }

    private static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--to must be HOST:PORT, not '" + hostPort + "'");
        }
        try {
            return new InetSocketAddress(hostPort.substring(0, colon).replace("[", "").replace("]", ""),
                    Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--to must end in a port number, not '" + hostPort + "'", e);
        }
    }

    /** Lets one connection through. */
    private record OnlyConnection(long id, CaptureSink target) implements CaptureSink {
        @Override
        public void opened(ConnectionOpened c) {
            if (c.id() == id) {
                target.opened(c);
            }
        }

        @Override
        public void chunk(Chunk c) {
            if (c.connectionId() == id) {
                target.chunk(c);
            }
        }

        @Override
        public void event(ConnectionEvent e) {
            if (e.connectionId() == id) {
                target.event(e);
            }
        }

        @Override
        public void closed(ConnectionClosed c) {
            if (c.id() == id) {
                target.closed(c);
            }
        }
    }
}
