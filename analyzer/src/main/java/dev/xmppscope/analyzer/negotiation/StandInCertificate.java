package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.capture.Direction;
import java.util.Locale;

/**
 * Why a receiving server refused an intercepted s2s stream when what it refused was the
 * certificate xmppscope presented in the initiating server's stead (its own cannot pass an
 * intercepting proxy), and what to do: said on the refusal itself, where a reader looks.
 */
final class StandInCertificate {
    private StandInCertificate() {
    }

    /**
     * What to add to the title of a refusal by {@code d}'s sender, or "" when it is not one of
     * xmppscope's certificate: only the receiving server of an intercepted s2s stream, before it
     * accepted the initiator, refusing a SASL EXTERNAL login ({@code certificateLogin}) or saying
     * in its own words ({@code text}) that a certificate is why.
     */
    static String refusal(Negotiation n, Direction d, String text, boolean certificateLogin) {
        boolean aboutCertificate = certificateLogin || text != null && text.toLowerCase(Locale.ROOT).contains("certificate");
        if (!"s2s".equals(n.kind()) || !n.intercepted() || d != Direction.TO_CLIENT || n.identity() != null || !aboutCertificate) {
            return "";
        }
        String initiator = StepText.or(n.streamFrom(), "the initiating server");
        String receiver = StepText.or(n.streamTo(), "the receiving server");
        return ". The certificate " + receiver + " refused is xmppscope's stand-in for " + initiator + ", from xmppscope's CA ("
                + initiator + "'s own cannot pass an intercepting proxy): make " + receiver + " trust that CA (xmppscope ca"
                + " --export), let dialback authenticate instead (Prosody: s2s_secure_auth = false), or relay this link with"
                + " --tls passthrough";
    }
}
