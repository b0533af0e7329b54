package dev.xmppscope.proxy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * xmppscope's own certificate authority, which signs the certificates the proxy presents to
 * clients when it intercepts TLS. Users trust it once ({@code xmppscope ca --export}).
 *
 * <p>Generated on first use with BouncyCastle (EC P-256): {@code ca.pem} (the certificate to
 * trust) and {@code ca.key} (readable by its owner only, mode 0600) in its directory. Leaf
 * certificates (one per XMPP domain, naming it in subjectAltName as clients verify) are made on
 * demand and cached for the life of the process.
 */
public final class CertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CERT_FILE = "ca.pem";
    private static final String KEY_FILE = "ca.key";

    /** A certificate for one domain: its key and the chain to present (leaf, then this CA). */
    public record Leaf(PrivateKey key, X509Certificate[] chain) {
    }

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;
    private final KeyPair leafKeys;
    private final Map<String, Leaf> leaves = new ConcurrentHashMap<>();

    private CertificateAuthority(Path dir, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
        this.leafKeys = newKeyPair(); // one key for every leaf: generating per domain buys nothing here
    }

    /** Where the CA lives unless told otherwise: {@code $XDG_DATA_HOME/xmppscope/ca} or {@code ~/.local/share/xmppscope/ca}. */
    public static Path defaultDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("xmppscope").resolve("ca");
    }

    /** Loads the CA in {@code dir}, creating it (and the directory) on first use. */
    public static CertificateAuthority loadOrCreate(Path dir) {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        try {
            if (Files.exists(certFile) && Files.exists(keyFile)) {
                return new CertificateAuthority(dir, readCertificate(certFile), readKey(keyFile));
            }
            if (Files.exists(certFile) != Files.exists(keyFile)) {
                throw new IllegalStateException("the CA directory " + dir + " holds only one of " + CERT_FILE + " and "
                        + KEY_FILE + "; remove it to start a new CA (clients must then trust the new one)");
            }
            return create(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the xmppscope CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The CA certificate as PEM: what users add to their client's trust store. */
    public String certificatePem() {
        return pem(certificate);
    }

    /** The file holding {@link #certificatePem()}. */
    public Path certificateFile() {
        return dir.resolve(CERT_FILE);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate to present for {@code domain} (a DNS name or an IP literal), made once and cached. */
    public Leaf leafFor(String domain) {
        return leaves.computeIfAbsent(domain.toLowerCase(java.util.Locale.ROOT), this::issue);
    }

    /** A certificate for {@code domain} made anew, not cached: what {@link #leafFor} caches, and what {@link TlsWarmUp} throws away. */
    Leaf issue(String domain) {
        try {
            Instant now = Instant.now();
            X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(90))),
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, domain).build(), leafKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            GeneralName name = isIpLiteral(domain) ? new GeneralName(GeneralName.iPAddress, domain)
                    : new GeneralName(GeneralName.dNSName, domain);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafKeys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            X509Certificate leaf = sign(b, key);
            return new Leaf(leafKeys.getPrivate(), new X509Certificate[] {leaf, certificate});
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for '" + domain + "': " + e.getMessage(), e);
        }
    }

    private static CertificateAuthority create(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the key file's own permissions below still apply where possible
        }
        KeyPair keys = newKeyPair();
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "xmppscope CA (" + host + " " + Instant.now().toString().substring(0, 10) + ")")
                .addRDN(BCStyle.O, "xmppscope").build();
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                    keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = sign(b, keys.getPrivate());
            writeKey(dir.resolve(KEY_FILE), keys.getPrivate());
            Files.writeString(dir.resolve(CERT_FILE), pem(cert), StandardCharsets.US_ASCII);
            return new CertificateAuthority(dir, cert, keys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the xmppscope CA: " + e.getMessage(), e);
        }
    }

    /** Creates the key file with mode 0600 before any key byte is written to it. */
    private static void writeKey(Path file, PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(key, null));
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while the CA was being created; not overwriting it", e);
        }
        Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
    }

    private static X509Certificate readCertificate(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new IOException(file + " does not hold a PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (o instanceof PrivateKeyInfo info) {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            }
            if (o instanceof org.bouncycastle.openssl.PEMKeyPair pair) {
                return new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
            }
            throw new IOException(file + " does not hold a PEM private key");
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
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

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    private static boolean isIpLiteral(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }
}
