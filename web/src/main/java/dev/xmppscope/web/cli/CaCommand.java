package dev.xmppscope.web.cli;

import dev.xmppscope.proxy.CertificateAuthority;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xmppscope ca}: the certificate authority clients must trust when the proxy intercepts TLS. */
@Command(name = "ca", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Shows (and exports) the certificate authority that signs what xmppscope presents when it intercepts TLS.",
                "",
                "With '--tls intercept' xmppscope ends each TLS session itself and presents a certificate for the XMPP domain, signed by its own CA (made on first use, kept under ~/.local/share/xmppscope/ca). Clients (and servers, for s2s with certificate checks) must trust that CA.",
                ""
        },
        footer = {
                "",
                "Examples:",
                "  xmppscope ca --export > xmppscope-ca.pem   # then trust it in the client",
                "  keytool -importcert -noprompt -alias xmppscope -file xmppscope-ca.pem \\",
                "      -keystore trust.p12 -storepass changeit"
        })
final class CaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--export", description = "Print the CA certificate (PEM) on standard output.")
    boolean export;

    @Option(names = "--dir", paramLabel = "DIR", description = "The CA's directory (default: ${DEFAULT-VALUE}).")
    Path dir = CertificateAuthority.defaultDir();

    @Override
    public Integer call() {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (export) {
            out.print(ca.certificatePem());
            out.flush();
            err.println("(this is " + ca.certificateFile().toAbsolutePath() + ")");
            err.flush();
        } else {
            out.println("CA certificate: " + ca.certificateFile().toAbsolutePath());
            out.println("subject:        " + ca.certificate().getSubjectX500Principal().getName());
            out.println("valid until:    " + ca.certificate().getNotAfter().toInstant());
            // the command that prints this CA, not the default one
            out.println("Print it with 'xmppscope ca --export" + (dir.equals(CertificateAuthority.defaultDir()) ? "" : " --dir " + dir)
                    + "'.");
            out.flush();
        }
        return 0;
    }
}
