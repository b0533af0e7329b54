package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up an intercepting proxy runs as it starts completes a real TLS handshake (JSSE on
 * both sides, in memory) with a certificate from xmppscope's CA, so what the first client would
 * wait for is done before it comes.
 */
class TlsWarmUpTest {
    @TempDir
    Path tmp;

    @Test
    void theWarmUpCompletesAHandshakeWithACertificateFromTheCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(tmp.resolve("ca"));
        assertEquals("TLSv1.3", TlsWarmUp.handshake(ca));
    }
}
