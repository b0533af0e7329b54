package dev.xmppscope.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for test servers, made with BouncyCastle (no openssl process): self-signed
 * server certificates, or a throwaway test CA that issues them (for s2s_secure_auth setups
 * where every server must trust one CA). EC P-256 keys: fast to generate, fine for OpenSSL
 * (Prosody) and JSSE (Smack, the proxy).
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** A server certificate and its key, plus the chain to present (leaf first). */
    public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

        /** Writes the chain (leaf first) and the PKCS#8 key as PEM files. */
        public void writePem(Path certificateFile, Path keyFile) {
            try {
                Files.createDirectories(certificateFile.toAbsolutePath().getParent());
                StringBuilder pem = new StringBuilder();
                for (X509Certificate c : chain) {
                    pem.append(TestCertificates.pem(c));
                }
                Files.writeString(certificateFile, pem, StandardCharsets.US_ASCII);
                Files.writeString(keyFile, TestCertificates.pkcs8Pem(key), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + certificateFile + " / " + keyFile, e);
            }
        }

        /** A server-side SSLContext presenting this certificate (for raw TLS test peers). */
        public SSLContext serverContext() {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(keyManagers(), null, RANDOM);
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot build a server SSLContext", e);
            }
        }

        /** Key managers presenting this certificate: a server's, or a client's when a TLS server asks for one. */
        public javax.net.ssl.KeyManager[] keyManagers() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("own", key, new char[0], chain.toArray(new X509Certificate[0]));
                javax.net.ssl.KeyManagerFactory kmf =
                        javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                return kmf.getKeyManagers();
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot build key managers for " + certificate.getSubjectX500Principal(), e);
            }
        }

        /** A trust manager that trusts exactly this certificate (useful for self-signed ones). */
        public X509TrustManager trustManager() {
            return TestCertificates.trustManager(chain.get(chain.size() - 1));
        }
    }

    /** A test certificate authority; {@link #issue} makes server certificates it signs. */
    public static final class TestCa {
        private final X509Certificate certificate;
        private final KeyPair keys;

        private TestCa(X509Certificate certificate, KeyPair keys) {
            this.certificate = certificate;
            this.keys = keys;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        public PrivateKey key() {
            return keys.getPrivate();
        }

        /** A server certificate for {@code dnsNames} (first one is also the CN), signed by this CA. */
        public Issued issue(String... dnsNames) {
            KeyPair leafKeys = newKeyPair();
            X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            X509Certificate leaf = leaf(issuer, keys, leafKeys, dnsNames);
            return new Issued(leaf, leafKeys.getPrivate(), List.of(leaf, certificate));
        }

        public X509TrustManager trustManager() {
            return TestCertificates.trustManager(certificate);
        }

        public void writeCertificatePem(Path file) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, pem(certificate), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    /** A self-signed server certificate for {@code dnsNames} (the first is also the CN). */
    public static Issued selfSigned(String... dnsNames) {
        KeyPair keys = newKeyPair();
        X509Certificate cert = leaf(new X500Name("CN=" + dnsNames[0]), keys, keys, dnsNames);
        return new Issued(cert, keys.getPrivate(), List.of(cert));
    }

    /** A fresh CA named {@code name}, valid for 30 days. */
    public static TestCa newCa(String name) {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(subject, subject, keys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new TestCa(sign(b, keys.getPrivate()), keys);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make test CA " + name, e);
        }
    }

    /** A trust manager whose only anchors are {@code anchors}. */
    public static X509TrustManager trustManager(X509Certificate... anchors) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                ks.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager from " + tmf.getAlgorithm());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager", e);
        }
    }

    /** A client SSLContext that trusts only {@code trustManager}. */
    public static SSLContext clientContext(X509TrustManager trustManager) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustManager}, RANDOM);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a client SSLContext", e);
        }
    }

    /** PEM text of a certificate or key. */
    public static String pem(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(certificateOrKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** PEM text of a private key as PKCS#8 ("BEGIN PRIVATE KEY"), the form OpenSSL always reads. */
    public static String pkcs8Pem(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static X509Certificate leaf(X500Name issuer, KeyPair issuerKeys, KeyPair subjectKeys, String... dnsNames) {
        if (dnsNames.length == 0) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name");
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(issuer, new X500Name("CN=" + dnsNames[0]), subjectKeys);
            List<GeneralName> names = new ArrayList<>();
            for (String n : dnsNames) {
                names.add(new GeneralName(GeneralName.dNSName, n));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            // servers are TLS clients too on outgoing s2s links
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuerKeys != subjectKeys) {
                b.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            }
            return sign(b, issuerKeys.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a certificate for " + String.join(",", dnsNames), e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign certificate", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
        }
    }
}
