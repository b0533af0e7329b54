package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    @TempDir
    Path tmp;

    @Test
    void isCreatedOnFirstUseWithAnOwnerOnlyKeyAndLoadedAfterwards() throws Exception {
        Path dir = tmp.resolve("ca");
        CertificateAuthority first = CertificateAuthority.loadOrCreate(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))));
        assertTrue(first.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(first.certificatePem(), Files.readString(first.certificateFile()));
        CertificateAuthority again = CertificateAuthority.loadOrCreate(dir);
        assertEquals(first.certificate(), again.certificate(), "the same CA, not a new one");
    }

    @Test
    void leafCertificatesNameTheDomainChainToTheCaAndAreCached() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(tmp.resolve("ca"));
        CertificateAuthority.Leaf leaf = ca.leafFor("a.example");
        X509Certificate cert = leaf.chain()[0];
        cert.verify(ca.certificate().getPublicKey());
        assertEquals(List.of(List.of(2, "a.example")), cert.getSubjectAlternativeNames().stream().map(List::copyOf).toList());
        assertEquals(ca.certificate(), leaf.chain()[1]);
        assertSame(leaf, ca.leafFor("A.EXAMPLE"));
        // trusted by a client that trusts only the CA, for the domain it names
        dev.xmppscope.testing.TestCertificates.trustManager(ca.certificate()).checkServerTrusted(leaf.chain(), "ECDHE_ECDSA");
    }

    @Test
    void theDefaultDirectoryFollowsXdg() {
        assertTrue(CertificateAuthority.defaultDir().endsWith(Path.of("xmppscope", "ca")));
    }
}
