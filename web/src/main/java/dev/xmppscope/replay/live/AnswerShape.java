package dev.xmppscope.replay.live;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a server's answer means for a comparison, in one line: the element, its type, the ids
 * the client chose, the children's names and namespaces, error conditions, the features and
 * mechanisms offered. What differs on every run by design (stream ids, SCRAM nonces and salts,
 * server-chosen ids and resources, timestamps) is left out, so a deterministic session gives the
 * same lines when replayed and a changed server shows up as changed lines.
 */
final class AnswerShape {
    private final Set<String> clientIds;
    private final List<String> userJids;

    /**
     * @param clientIds ids the client chose (kept: answers must echo them)
     * @param userJids  bare JIDs of the user (recorded and live), written as USER
     */
    AnswerShape(Set<String> clientIds, List<String> userJids) {
        this.clientIds = clientIds;
        this.userJids = userJids;
    }

    String of(Piece p) {
        if (p.isClose()) {
            return "</stream>";
        }
        if (p.isHeader()) {
            return "<stream from=" + p.attribute("from") + ">";
        }
        Element e = parse(p.xml());
        if (e == null) {
            return "unparseable " + p.name();
        }
        String name = e.getTagName();
        StringBuilder s = new StringBuilder("<").append(name);
        attr(s, e, "type");
        if (!e.getAttribute("xmlns").isEmpty()) {
            s.append(" xmlns=").append(e.getAttribute("xmlns"));
        }
        String id = e.getAttribute("id");
        if (!id.isEmpty()) {
            s.append(" id=").append(clientIds.contains(id) ? id : "*");
        }
        attr(s, e, "from");
        attr(s, e, "to");
        s.append(">");
        switch (name) {
            case "challenge", "success", "response" -> {
                return s.toString(); // SCRAM data differs on every run
            }
            case "stream:features" -> {
                List<String> features = new ArrayList<>(); // servers list them in no particular order
                for (Element c : children(e)) {
                    String f = qualified(c);
                    if (c.getTagName().equals("mechanisms")) {
                        List<String> mechs = new ArrayList<>();
                        for (Element m : children(c)) {
                            mechs.add(m.getTextContent().trim());
                        }
                        mechs.sort(null);
                        f += mechs;
                    }
                    features.add(f);
                }
                features.sort(null);
                features.forEach(f -> s.append(" ").append(f));
                return s.toString();
            }
            default -> {
                for (Element c : children(e)) {
                    if (c.getTagName().equals("delay")) {
                        continue; // a timestamp
                    }
                    s.append(" ").append(qualified(c));
                    if (c.getTagName().equals("error")) {
                        for (Element cond : children(c)) {
                            s.append(" ").append(cond.getTagName());
                        }
                    }
                }
                return s.toString();
            }
        }
    }

    private void attr(StringBuilder s, Element e, String name) {
        String v = e.getAttribute(name);
        if (!v.isEmpty()) {
            s.append(" ").append(name).append("=").append(normalizeJid(v));
        }
    }

    private String normalizeJid(String jid) {
        for (String user : userJids) {
            if (jid.equals(user)) {
                return "USER";
            }
            if (jid.startsWith(user + "/")) {
                return "USER/*";
            }
        }
        return jid;
    }

    private static String qualified(Element c) {
        String ns = c.getAttribute("xmlns");
        return ns.isEmpty() ? c.getTagName() : c.getTagName() + "{" + ns + "}";
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                out.add(c);
            }
        }
        return out;
    }

    /** Parses one element without namespace processing (prefixes like stream: are declared on the header). */
    private static Element parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            return null; // shown as "unparseable": the comparison still lines up
        }
    }
}
