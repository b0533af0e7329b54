package dev.xmppscope.analyzer.xmpp;

import dev.xmppscope.analyzer.xml.XmlElement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads a {@code <stream:features/>} element: what the receiving entity offers. */
public final class Features {
    private Features() {
    }

    /** The SASL mechanisms offered (RFC 6120 or SASL2), in order; empty if none. */
    public static List<String> mechanisms(XmlElement features) {
        List<String> out = new ArrayList<>();
        for (XmlElement c : features.children()) {
            if ((c.is("mechanisms", Ns.SASL)) || c.is("authentication", Ns.SASL2)) {
                for (XmlElement m : c.children()) {
                    if (m.name().equals("mechanism")) {
                        out.add(m.text().trim());
                    }
                }
            }
        }
        return out;
    }

    /** True if STARTTLS is offered; {@link #starttlsRequired} says whether it must be used. */
    public static boolean offersStarttls(XmlElement features) {
        return features.child("starttls", Ns.TLS) != null;
    }

    public static boolean starttlsRequired(XmlElement features) {
        XmlElement s = features.child("starttls", Ns.TLS);
        return s != null && s.child("required", Ns.TLS) != null;
    }

    /** "STARTTLS (required), SASL (SCRAM-SHA-1, PLAIN), resource binding, stream management (v2, v3), ...". */
    public static String describe(XmlElement features) {
        Set<String> parts = new LinkedHashSet<>(); // a feature offered twice (two versions of one spec) is said once
        String streamManagement = streamManagement(features);
        for (XmlElement c : features.children()) {
            String ns = c.namespace();
            if (c.is("starttls", Ns.TLS)) {
                parts.add("STARTTLS" + (starttlsRequired(features) ? " (required)" : ""));
            } else if (c.is("mechanisms", Ns.SASL)) {
                parts.add("SASL (" + String.join(", ", mechanisms(features)) + ")");
            } else if (c.is("authentication", Ns.SASL2)) {
                parts.add("SASL2");
            } else if (c.is("bind", Ns.BIND)) {
                parts.add("resource binding");
            } else if (c.is("session", Ns.SESSION)) {
                parts.add("session" + (c.child("optional", Ns.SESSION) != null ? " (optional)" : ""));
            } else if (Ns.isSm(ns)) {
                parts.add(streamManagement);
            } else if (Ns.CSI.equals(ns)) {
                parts.add("client state indication");
            } else if (Ns.DIALBACK_FEATURE.equals(ns) || Ns.DIALBACK.equals(ns)) {
                parts.add("dialback");
            } else if (c.name().equals("ver")) {
                parts.add("roster versioning");
            } else if (c.name().equals("c")) {
                parts.add("entity capabilities");
            } else {
                parts.add(Namespaces.shipped().lookup(ns).map(Namespaces.Spec::title).orElse(c.name()));
            }
        }
        return parts.isEmpty() ? "(none)" : String.join(", ", parts);
    }

    /** "stream management (v2, v3)": Prosody offers urn:xmpp:sm:2 and urn:xmpp:sm:3 side by side. */
    private static String streamManagement(XmlElement features) {
        List<String> versions = new ArrayList<>();
        for (XmlElement c : features.children()) {
            if (Ns.isSm(c.namespace())) {
                versions.add("v" + c.namespace().substring(c.namespace().lastIndexOf(':') + 1));
            }
        }
        return "stream management (" + String.join(", ", versions) + ")";
    }
}
