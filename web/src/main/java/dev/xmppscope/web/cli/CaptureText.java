package dev.xmppscope.web.cli;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.negotiation.Conditions;
import dev.xmppscope.analyzer.negotiation.Durations;
import dev.xmppscope.analyzer.route.RouteAbsence;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code xmppscope show} prints for people: the connections as a table, the federation, one
 * connection's negotiation step by step, stanzas a line each, one stanza whole. Times are the
 * local clock, as the web UI shows them; durations are said as the negotiation steps say them
 * ({@link Durations}: "12.3 ms"). Everything that came off the wire goes through {@link TerminalSafe}.
 */
final class CaptureText {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private final PrintWriter out;
    private final ZoneId zone;

    CaptureText(PrintWriter out, ZoneId zone) {
        this.out = out;
        this.zone = zone;
    }

    /** One row per connection, with what went wrong on a line of its own below it. */
    void connections(List<ConnectionView> connections) {
        if (connections.isEmpty()) {
            out.println("no connections in this capture");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", "kind", "tls", "client → upstream", "who", "opened", "lasted", "ended", "elements"});
        // what went wrong (✗), or else what may have (!); how a kind no header said was inferred (*)
        List<List<String>> notes = new ArrayList<>();
        for (ConnectionView c : connections) {
            rows.add(new String[] {String.valueOf(c.id()), c.kindInferred() == null ? c.kind() : c.kind() + "*", c.tls(),
                    c.client() + " → " + c.server(),
                    TerminalSafe.line(who(c)), dateTime(c.openedAt()),
                    c.closedAt() == null ? "" : Durations.words(c.closedAt() - c.openedAt()),
                    c.closeReason() == null ? "open" : c.closeReason(), String.valueOf(c.stanzaCount())});
            List<String> lines = new ArrayList<>(2);
            if (c.kindInferred() != null) {
                lines.add("* " + c.kind() + " inferred: " + TerminalSafe.line(c.kindInferred()));
            }
            if (c.error() != null || c.warning() != null) {
                lines.add(c.error() != null ? "✗ " + TerminalSafe.line(c.error()) : "! " + TerminalSafe.line(c.warning()));
            }
            notes.add(lines);
        }
        int[] widths = widths(rows);
        for (int r = 0; r < rows.size(); r++) {
            out.println(row(rows.get(r), widths));
            for (String note : r == 0 ? List.<String>of() : notes.get(r - 1)) {
                out.println(" ".repeat(widths[0] + 2) + note);
            }
        }
    }

    /**
     * The federation: each server with its clients and services under it, then the streams
     * between servers; each with its stream's state and traffic, then on lines of their own what
     * went wrong (✗) and what may have ({@code !}: a server killed mid-stream, stanzas never
     * acknowledged), as the web UI says them for a stream picked in the graph.
     */
    void graph(GraphSnapshot g) {
        if (g.nodes().isEmpty()) {
            out.println("no servers or clients in this capture");
            return;
        }
        Map<String, List<GraphEdge>> edgesOf = new HashMap<>();
        for (GraphEdge e : g.edges()) {
            if (!e.kind().equals("s2s")) {
                edgesOf.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(e);
            }
        }
        Comparator<GraphNode> byKindAndName = Comparator.comparing((GraphNode n) -> !n.kind().equals("client"))
                .thenComparing(GraphNode::label);
        List<GraphNode> servers = g.nodes().stream().filter(n -> n.kind().equals("server")).sorted(byKindAndName).toList();
        Set<String> serverIds = servers.stream().map(GraphNode::id).collect(Collectors.toSet());
        List<String[]> rows = new ArrayList<>();
        List<List<String>> problems = new ArrayList<>();
        for (GraphNode server : servers) {
            addNode(rows, problems, "", server, List.of());
            g.nodes().stream().filter(n -> server.id().equals(n.parent())).sorted(byKindAndName)
                    .forEach(n -> addNode(rows, problems, "  ", n, edgesOf.getOrDefault(n.id(), List.of())));
        }
        List<GraphNode> unplaced = g.nodes().stream().filter(n -> !n.kind().equals("server")
                && (n.parent() == null || !serverIds.contains(n.parent()))).sorted(byKindAndName).toList();
        for (GraphNode n : unplaced) {
            addNode(rows, problems, "", n, edgesOf.getOrDefault(n.id(), List.of()));
        }
        printWithProblems(rows, problems);
        List<GraphEdge> s2s = g.edges().stream().filter(e -> e.kind().equals("s2s"))
                .sorted(Comparator.comparing(GraphEdge::source).thenComparing(GraphEdge::target)).toList();
        if (!s2s.isEmpty()) {
            out.println();
            out.println("streams between servers");
            List<String[]> streams = new ArrayList<>();
            List<List<String>> streamProblems = new ArrayList<>();
            // a server's label is its domain, or for one whose name is inside TLS passed through, "unnamed server ADDRESS"
            Map<String, String> names = g.nodes().stream().collect(Collectors.toMap(GraphNode::id, GraphNode::label, (a, b) -> a));
            for (GraphEdge e : s2s) {
                String from = names.getOrDefault(e.source(), entity(e.source()));
                String to = names.getOrDefault(e.target(), entity(e.target()));
                streams.add(new String[] {"  " + TerminalSafe.line(from) + " → " + TerminalSafe.line(to),
                        traffic(e).substring("s2s ".length())});
                streamProblems.add(problems(e.error() == null || e.error().isBlank() ? List.of() : List.of(e.error()), List.of(e)));
            }
            printWithProblems(streams, streamProblems);
        }
    }

    private static void addNode(List<String[]> rows, List<List<String>> problems, String indent, GraphNode n,
                                List<GraphEdge> edges) {
        String traffic = String.join("; ", edges.stream().map(CaptureText::traffic).toList());
        rows.add(new String[] {indent + TerminalSafe.line(n.label()), n.kind(), traffic});
        List<String> errors = new ArrayList<>();
        if (n.flags() != null && !n.flags().isBlank()) {
            errors.add(n.flags());
        }
        edges.stream().map(GraphEdge::error).filter(e -> e != null && !e.isBlank()).forEach(errors::add);
        problems.add(problems(errors, edges));
    }

    /** "✗ what went wrong" (all of it on one line), then "! what may have" for each of {@code edges}. */
    private static List<String> problems(List<String> errors, List<GraphEdge> edges) {
        List<String> lines = new ArrayList<>();
        if (!errors.isEmpty()) {
            lines.add("✗ " + String.join("; ", errors.stream().map(TerminalSafe::line).toList()));
        }
        edges.stream().map(GraphEdge::warning).filter(Objects::nonNull).forEach(w -> lines.add("! " + TerminalSafe.line(w)));
        return lines;
    }

    /** "c2s established, 34 stanzas, 12.1 KiB (connection 1)". */
    private static String traffic(GraphEdge e) {
        List<Long> conns = e.connections();
        return e.kind() + " " + e.state() + ", " + e.stanzas() + (e.stanzas() == 1 ? " stanza, " : " stanzas, ") + bytes(e.bytes())
                + (conns.isEmpty() ? "" : conns.size() == 1 ? " (connection " + conns.get(0) + ")"
                : " (connections " + String.join(", ", conns.stream().map(String::valueOf).toList()) + ")");
    }

    private void printWithProblems(List<String[]> rows, List<List<String>> problems) {
        int[] widths = widths(rows);
        for (int r = 0; r < rows.size(); r++) {
            out.println(row(rows.get(r), widths));
            String indent = rows.get(r)[0].substring(0, rows.get(r)[0].length() - rows.get(r)[0].stripLeading().length());
            for (String problem : problems.get(r)) {
                out.println(indent + "  " + problem);
            }
        }
    }

    /** As the web UI says a size: "850 B", "12.1 KiB", "3.4 MiB". */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", n / 1024.0 / 1024.0);
    }

    /** A connection's header, then its steps: time since it opened, direction, what happened. */
    void negotiation(ConnectionView c, List<NegotiationStep> steps) {
        out.printf("connection %d · %s · %s · %s → %s%n", c.id(), c.kind(), TerminalSafe.line(who(c)), c.client(), c.server());
        out.printf("opened %s%s%n", dateTime(c.openedAt()), c.closedAt() == null ? ", still open"
                : ", ended after " + Durations.words(c.closedAt() - c.openedAt()) + ": " + c.closeReason()
                + (c.closeDetail() == null || c.closeDetail().isBlank() ? "" : " (" + TerminalSafe.line(c.closeDetail()) + ")"));
        out.println();
        if (steps.isEmpty()) {
            out.println("  no negotiation steps: nothing of the stream was recorded");
            return;
        }
        String indent = " ".repeat(2 + 10 + 2 + 1 + 2);
        for (NegotiationStep s : steps) {
            String status = switch (s.status()) {
                case "failed", "error", "warning" -> s.status().toUpperCase(Locale.ROOT) + "  ";
                default -> "";
            };
            out.printf("  %-10s  %s  %s%s%n", since(s.at() - c.openedAt()), arrow(s.direction()), status,
                    TerminalSafe.line(s.title()));
            if (s.detail() != null && !s.detail().isBlank()) {
                out.println(indent + TerminalSafe.line(s.detail()));
            }
        }
    }

    /** A stanza on one line: when, its ref, which way, kind and type, from → to, its summary. */
    void stanzaLine(StanzaSummary s) {
        String kind = s.type() == null || s.type().equals(s.kind()) ? s.kind() : s.kind() + " " + s.type();
        String fromTo = s.from() == null && s.to() == null ? ""
                : (s.from() == null ? "" : TerminalSafe.line(s.from()) + " ") + "→" + (s.to() == null ? "" : " "
                + TerminalSafe.line(s.to())) + "  ";
        out.printf("%s  %-9s %s  %-16s %s%s%n", time(s.at()), s.ref(), arrow(s.direction()), TerminalSafe.line(kind), fromTo,
                TerminalSafe.line(s.summary()));
    }

    /** One stanza on a connection of {@code kind} (c2s, s2s, ...): its fields, its IQ partner or bounce, its route hop by hop, then its XML. */
    void stanza(StanzaDetail d, String kind) {
        StanzaSummary s = d.stanza();
        boolean toServer = s.direction().equals("toServer");
        String way = switch (kind) {
            case "s2s" -> toServer ? "initiating → receiving server" : "receiving → initiating server";
            case "component" -> toServer ? "component → server" : "server → component";
            default -> toServer ? "client → server" : "server → client";
        };
        out.printf("%s  %s%s  on connection %d, %s%n", s.ref(), TerminalSafe.line(s.kind()),
                s.type() == null ? "" : " " + TerminalSafe.line(s.type()), s.connection(), way);
        field("at", dateTime(s.at()));
        field("from", TerminalSafe.line(s.from()));
        field("to", TerminalSafe.line(s.to()));
        field("id", TerminalSafe.line(s.id()));
        field("summary", TerminalSafe.line(s.summary()));
        List<String> nss = new ArrayList<>();
        for (int i = 0; i < s.namespaces().size(); i++) {
            String label = i < s.labels().size() ? s.labels().get(i) : null;
            String ns = TerminalSafe.line(s.namespaces().get(i));
            nss.add(label == null || label.isBlank() || label.equals(ns) ? ns : ns + " (" + TerminalSafe.line(label) + ")");
        }
        field("namespaces", nss.isEmpty() ? null : String.join(", ", nss));
        field("size", s.size() + " bytes at offset " + s.offset() + " of its stream");
        if (!"ok".equals(s.parseStatus())) {
            field("parse", TerminalSafe.line(s.parseStatus()));
        }
        String meaning = Conditions.meaning(s.kind(), d.error());
        field("error", d.error() == null ? null : TerminalSafe.line(d.error()) + (meaning == null ? "" : ": " + meaning));
        String apart = d.iqRttNanos() == null ? "" : ", " + Durations.words(d.iqRttNanos()) + " apart";
        if (d.iqPartner() != null && !s.kind().equals("iq")) {
            // a message's or presence's partner is its bounce, or on the bounce, what it bounces
            field("bounce", ("error".equals(s.type()) ? "bounces " : "bounced by ") + d.iqPartner() + apart);
        } else if (d.iqPartner() != null) {
            field("IQ", "paired with " + d.iqPartner() + apart);
        } else if (d.unanswered()) {
            field("IQ", "never answered");
        }
        field("carries", TerminalSafe.line(d.carries()));
        if (d.route() != null) {
            route(d.route());
        } else {
            String none = RouteAbsence.reason(s.kind(), s.type(), s.id(), d.xml());
            field("route", none == null ? null : "none. " + none);
        }
        out.println("XML");
        out.println(TerminalSafe.text(d.xml()));
    }

    private void route(StanzaRoute r) {
        field("route", r.hops().size() + " hops, confidence " + Math.round(r.confidence() * 100) + "%"
                + (r.explanation() == null || r.explanation().isBlank() ? "" : ": " + TerminalSafe.line(r.explanation())));
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < r.hops().size(); i++) {
            StanzaRoute.Hop h = r.hops().get(i);
            String after = h.after() == null || h.after() == i - 1 ? "" : "after hop " + (h.after() + 1);
            String how = (h.how() == null ? "" : TerminalSafe.line(h.how()))
                    + (h.to() == null ? "" : (h.how() == null ? "for " : " for ") + TerminalSafe.line(h.to()));
            rows.add(new String[] {"  " + (i + 1) + ".", h.stanzaRef(), TerminalSafe.line(entity(h.source())) + " → "
                    + TerminalSafe.line(entity(h.target())), time(h.at()),
                    h.heldNanos() == null ? "" : "held " + Durations.words(h.heldNanos()) + (h.linkOpened() ? " (opening the link)" : ""),
                    String.join(", ", nonEmpty(how, after))});
        }
        int[] widths = widths(rows);
        for (String[] row : rows) {
            out.println(row(row, widths));
        }
    }

    private void field(String name, String value) {
        if (value != null) {
            out.printf("%-12s%s%n", name, value);
        }
    }

    /** Who a connection is: its bound JID (or domain pair), else the domain its stream was opened to. */
    private static String who(ConnectionView c) {
        if (c.jid() != null) {
            return c.jid();
        }
        if (c.claimedJid() != null) {
            return c.claimedJid() + " (claimed)";
        }
        return c.streamTo() == null ? "" : "to " + c.streamTo();
    }

    /** A graph node's id as its name: {@code client:alice@a.example/laptop} → {@code alice@a.example/laptop}. */
    private static String entity(String nodeId) {
        for (String prefix : List.of("client:", "server:")) {
            if (nodeId != null && nodeId.startsWith(prefix)) {
                return nodeId.substring(prefix.length());
            }
        }
        return nodeId;
    }

    private static String arrow(String direction) {
        return "toServer".equals(direction) ? "→" : "←";
    }

    private String dateTime(long epochNanos) {
        return DATE_TIME.format(instant(epochNanos).atZone(zone));
    }

    private String time(long epochNanos) {
        return TIME.format(instant(epochNanos).atZone(zone));
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** "+850 µs", "+0"; "−2.3 ms" before the reference. */
    private static String since(long nanos) {
        return nanos < 0 ? "−" + Durations.words(-nanos) : "+" + (nanos == 0 ? "0" : Durations.words(nanos));
    }

    private static int[] widths(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].codePointCount(0, row[i].length()));
            }
        }
        return w;
    }

    /** The cells padded to their column's width, two spaces apart; the last one not padded. */
    private static String row(String[] cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < cells.length - 1) {
                b.append(" ".repeat(widths[i] - cells[i].codePointCount(0, cells[i].length()) + 2));
            }
        }
        return b.toString().stripTrailing();
    }

    private static List<String> nonEmpty(String... parts) {
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }
}
