package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.TlsMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConnectionLogTest {

    /**
     * Why a connection ended may quote a peer: a TLS failure names the certificate the upstream
     * presented, whose subject its owner wrote. The proxy's terminal prints it escaped.
     */
    @Test
    void aCloseDetailQuotingAPeerCannotDriveTheTerminal() {
        StringWriter text = new StringWriter();
        ConnectionLog log = new ConnectionLog(new PrintWriter(text));
        long t = 1_764_000_000_000_000_000L;
        log.opened(new ConnectionOpened(7, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40007",
                "127.0.0.2:5222", TlsMode.INTERCEPT, t));
        log.closed(new ConnectionClosed(7, t + 1_500_000_000L, CloseReason.TLS_FAILED,
                "upstream presented a certificate for CN=a.example\u001b]0;owned\u0007\u001b[2J", 120, 80));
        assertEquals("#7 opened: 127.0.0.1:40007 → 127.0.0.2:5222\n"
                + "#7 closed: upstream presented a certificate for CN=a.example\\x1b]0;owned\\x07\\x1b[2J (after 1.5 s;"
                + " 120 bytes to the server, 80 to the client)\n", text.toString().replace(System.lineSeparator(), "\n"));
    }

    /**
     * A client that connects the moment the proxy listens (a client reconnecting after a restart)
     * is said after the banner that says where connections go, not before it: the web UI, a
     * second to start, started after the routes listened.
     */
    @Test
    void aClientConnectingAtOnceIsSaidAfterTheBanner(@TempDir Path tmp) throws Exception {
        int listen = ChildShell.freeLoopbackPort();
        AtomicBoolean connected = new AtomicBoolean();
        Thread eager = new Thread(() -> {
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < deadline; ) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listen)) {
                    connected.set(true);
                    return;
                } catch (IOException refused) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                }
            }
        }, "eager-client");
        eager.setDaemon(true);
        eager.start();
        StringWriter text = new StringWriter();
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ProxyCommand command = new ProxyCommand();
            CommandLine cl = new CommandLine(command);
            cl.setOut(new PrintWriter(text, true));
            cl.parseArgs("--route", "127.0.0.1:" + listen + "=127.0.0.1:" + upstream.getLocalPort(), "--analysis", "in-process",
                    "--db", tmp.resolve("capture").toString(), "--web", "127.0.0.1:0");
            Serving proxy = command.start();
            try {
                eager.join(60_000);
                assertTrue(connected.get(), "the client never got in");
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); !text.toString().contains("#1 opened");
                     Thread.sleep(50)) {
                    assertTrue(System.nanoTime() < deadline, text.toString());
                }
            } finally {
                proxy.closeAll();
            }
        }
        String said = text.toString();
        assertTrue(said.startsWith("proxy   127.0.0.1:" + listen + " → "), said);
        assertTrue(said.indexOf("Ctrl-C stops the proxy") < said.indexOf("#1 opened"), said);
    }
}
