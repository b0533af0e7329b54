package dev.xmppscope.web.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.web.api.ApiJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xmppscope show CAPTURE}: what the web UI shows of a stored capture, printed in the
 * terminal (for a shell on a server, a bug report, a script), as text or as the API's JSON.
 */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Prints what a stored capture holds, in the terminal: its connections, its federation, how one connection negotiated, step by step, its stanzas (filtered as in the web UI) or one stanza with its route and XML.",
                "",
                "CAPTURE is what 'xmppscope open' takes: the PATH of a capture database, or a capture file (.xscap, .pcap, .pcapng). A capture database is analyzed once and its analysis kept beside it (PATH.analysis.mv.db), as 'open' keeps it; later looks reuse it while the capture is unchanged (see --reanalyze).",
                "",
                "Text for people, or with --json the JSON the web UI's API answers (GET /api/connections, /api/graph, /api/connections/ID/negotiation, /api/stanzas, /api/stanzas/REF), for scripts. Control characters that came off the wire are printed escaped (\\x1b), so a stanza cannot drive your terminal. Times are your local clock.",
                "",
                "In a terminal, the answer goes through your pager: $XMPPSCOPE_PAGER, else $PAGER, else less (with LESS=FRX unless you set LESS: it quits at once when the answer fits on the screen). PAGER=cat or --no-pager prints straight; a pipe always gets it straight.",
                ""
        },
        footer = {
                "",
                "Examples:",
                "  xmppscope show ~/captures/first",
                "      the connections: who, how long, how each ended, what went wrong",
                "  xmppscope show ~/captures/first --graph",
                "      the servers, their clients and services, the streams between them",
                "  xmppscope show ~/captures/first --negotiation 3",
                "      how connection 3 negotiated: STARTTLS, SASL, bind, ... in plain words",
                "  xmppscope show ~/captures/first --kind message --jid alice@a.example",
                "      alice's messages, a line each (--stanzas: every stanza)",
                "  xmppscope show ~/captures/first --stanza 3-s-12",
                "      one stanza: its fields, its route hop by hop, its XML",
                "  xmppscope show tcpdump-5222.pcapng --json | jq '.items[].closeReason'"
        })
final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CAPTURE", description = "The capture database (or .xscap, .pcap, .pcapng file) to read.")
    Path capture;

    @Option(names = "--graph", description = "the federation: servers, their clients and services, the streams between them, and what went wrong"
            + " (✗) or may have (!) on each")
    boolean graph;

    @Option(names = "--negotiation", paramLabel = "ID", description = "how connection ID negotiated, step by step")
    Long negotiation;

    @Option(names = "--stanza", paramLabel = "REF", description = "one stanza (a ref such as 3-s-12): its route and XML")
    String stanza;

    @Option(names = "--stanzas", description = "the stanzas, a line each (any filter below implies it)")
    boolean stanzas;

    @Option(names = "--text", paramLabel = "TEXT", description = "stanzas whose XML contains TEXT (case-insensitive)")
    String text;

    @Option(names = "--jid", paramLabel = "JID", description = "stanzas from or to JID (a bare JID matches its resources)")
    String jid;

    @Option(names = "--kind", paramLabel = "KIND", description = "stanzas of this kind: ${COMPLETION-CANDIDATES}",
            completionCandidates = Kinds.class)
    String kind;

    @Option(names = "--type", paramLabel = "TYPE", description = "stanzas of this type (chat, get, result, error, ...)")
    String type;

    @Option(names = "--ns", paramLabel = "NS", description = "stanzas using a namespace, or a spec: XEP-0198")
    String namespace;

    @Option(names = "--id", paramLabel = "ID", description = "stanzas with this id attribute")
    String id;

    @Option(names = "--conn", paramLabel = "ID", description = "stanzas of connection ID")
    Long connection;

    @Option(names = "--limit", paramLabel = "N", description = "at most N stanzas, the first ones (default: all)")
    Integer limit;

    @Option(names = "--json", description = "print the web UI API's JSON instead of text")
    boolean json;

    @Mixin
    AnalysisOptions analysis;

    @Option(names = "--no-pager", description = "print straight to the terminal instead of through the pager")
    boolean noPager;

    /** The kinds --kind takes, listed in its help. */
    static final class Kinds extends ArrayList<String> {
        Kinds() {
            super(StanzaSummary.KINDS);
        }
    }

    @Override
    public Integer call() throws Exception {
        View view = view();
        PrintWriter err = spec.commandLine().getErr();
        Serving resources = new Serving(err);
        try {
            // what it is doing goes to stderr: stdout is the answer, for a pipe
            CaptureOpening.Analyzed opened = analysis.analyzed(capture, err, resources);
            CaptureModel model = opened.model();
            // a mistyped id is said before the pager opens (its screen would hide the error), and a
            // mistyped --conn would otherwise read as a stream with nothing in it
            Long asked = view == View.NEGOTIATION ? negotiation : view == View.STANZAS ? connection : null;
            if (asked != null && model.connection(asked).isEmpty()) {
                throw ConnectionIds.missing(asked, capture, model.connections().stream().map(ConnectionView::id).toList());
            }
            // opened once the analysis is done, so its progress is not drawn under the pager
            try (Pager pager = Pager.open(spec.commandLine().getOut(), err, !noPager && System.console() != null,
                    System.getenv())) {
                PrintWriter out = pager.out();
                switch (view) {
                    case CONNECTIONS -> connections(model, opened.store().importNotes(), out);
                    case GRAPH -> graph(model, out);
                    case NEGOTIATION -> negotiation(model, out);
                    case STANZAS -> stanzas(model, pager);
                    case STANZA -> stanza(model, out);
                }
            }
        } catch (RuntimeException e) {
            throw resources.closeAfter(e);
        } catch (IOException e) {
            resources.closeAfter(new UncheckedIOException(e));
            throw e; // as it is: its message is the user's to read
        }
        resources.closeAll();
        return 0;
    }

    private enum View { CONNECTIONS, GRAPH, NEGOTIATION, STANZAS, STANZA }

    /** Which view the options ask for; more than one is a usage error, said before anything is analyzed. */
    private View view() {
        boolean filtered = text != null || jid != null || kind != null || type != null || namespace != null || id != null
                || connection != null || limit != null;
        List<String> asked = new ArrayList<>();
        if (graph) {
            asked.add("--graph");
        }
        if (negotiation != null) {
            asked.add("--negotiation");
        }
        if (stanza != null) {
            asked.add("--stanza");
        }
        if (stanzas || filtered) {
            asked.add(stanzas ? "--stanzas" : "a stanza filter");
        }
        if (asked.size() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "show one thing at a time: " + String.join(" and ", asked)
                    + " were given (--graph, --negotiation ID, --stanza REF, or --stanzas with its filters)");
        }
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        try {
            query(null, 1); // the filters are checked as a query checks them (an unknown kind), before the analysis
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return graph ? View.GRAPH : negotiation != null ? View.NEGOTIATION : stanza != null ? View.STANZA
                : asked.isEmpty() ? View.CONNECTIONS : View.STANZAS;
    }

    /** The connections, then what imports into the capture left out (as the web UI shows them above its graph). */
    private void connections(CaptureModel model, List<String> importNotes, PrintWriter out) throws IOException {
        List<ConnectionView> all = model.connections();
        if (json) {
            printJson(out, ApiJson.items(all));
        } else {
            text(out).connections(all);
            for (String note : importNotes) {
                out.println(TerminalSafe.line(note));
            }
        }
    }

    private void graph(CaptureModel model, PrintWriter out) throws IOException {
        if (json) {
            printJson(out, model.graph());
        } else {
            text(out).graph(model.graph());
        }
    }

    private void negotiation(CaptureModel model, PrintWriter out) throws IOException {
        ConnectionView c = model.connection(negotiation).orElseThrow(); // checked in call()
        if (json) {
            printJson(out, ApiJson.items(model.negotiation(c.id())));
        } else {
            text(out).negotiation(c, model.negotiation(c.id()));
        }
    }

    private void stanza(CaptureModel model, PrintWriter out) throws IOException {
        StanzaDetail d = model.stanza(stanza).orElseThrow(() -> new IllegalArgumentException("no stanza " + stanza
                + " in this capture: a ref looks like 3-s-12 (connection 3, client → server, element 12) or 3-c-12"
                + " (server → client); 'xmppscope show CAPTURE --stanzas' lists them"));
        if (json) {
            printJson(out, ApiJson.stanzaDetail(d));
        } else {
            text(out).stanza(d, model.connection(d.stanza().connection()).map(ConnectionView::kind).orElse("c2s"));
        }
    }

    /** The text view, in the local clock. */
    private static CaptureText text(PrintWriter out) {
        return new CaptureText(out, ZoneId.systemDefault());
    }

    /** Every stanza the filters match (up to --limit), page by page, printed as it comes. */
    private void stanzas(CaptureModel model, Pager pager) throws IOException {
        PrintWriter out = pager.out();
        if (json) {
            ObjectMapper mapper = jsonMapper();
            try (JsonGenerator g = mapper.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
                g.writeStartObject();
                g.writeArrayFieldStart("items");
                forEachStanza(model, pager, s -> {
                    try {
                        g.writeObject(s);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                g.writeEndArray();
                g.writeEndObject();
            }
            out.println();
            return;
        }
        CaptureText text = text(out);
        int[] shown = {0};
        forEachStanza(model, pager, s -> {
            text.stanzaLine(s);
            shown[0]++;
        });
        if (shown[0] == 0) {
            out.println("no stanza matches");
        }
    }

    /** Page by page; stops early when the answer's reader went away (the pager was quit, or {@code | head} ended). */
    private void forEachStanza(CaptureModel model, Pager pager, Consumer<StanzaSummary> each) {
        int left = limit == null ? Integer.MAX_VALUE : limit;
        String cursor = null;
        do {
            StanzaPage page = model.stanzas(query(cursor, Math.min(left, StanzaQuery.MAX_LIMIT)));
            for (StanzaSummary s : page.items()) {
                each.accept(s);
            }
            left -= page.items().size();
            cursor = page.next();
        } while (cursor != null && left > 0 && !pager.readerGone());
    }

    /** The timeline query the filters make, for the page at {@code cursor}. */
    private StanzaQuery query(String cursor, int pageSize) {
        return new StanzaQuery(text, jid, kind, type, namespace, id, connection, null, null, cursor, pageSize);
    }

    private static void printJson(PrintWriter out, Object value) throws IOException {
        out.println(jsonMapper().writeValueAsString(value));
    }

    /** The API's mapper, indented, with what could drive a terminal escaped (see {@link TerminalSafe}). */
    private static ObjectMapper jsonMapper() {
        ObjectMapper m = ApiJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);
        m.getFactory().setCharacterEscapes(new TerminalSafe.JsonEscapes());
        return m;
    }
}
