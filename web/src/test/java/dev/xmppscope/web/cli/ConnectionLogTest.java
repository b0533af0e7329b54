package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.TlsMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

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
}
