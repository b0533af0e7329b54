package dev.xmppscope.web.api;

import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.proxy.ListenerState;
import dev.xmppscope.proxy.Recorder;
import dev.xmppscope.web.AnalysisProgress;
import dev.xmppscope.web.WebExtension;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code GET /api/capture/export[?format=xscap|pcapng][&connection=ID]}: downloads the capture
 * being shown, as xmppscope's own {@code .xscap} (default; {@code xmppscope open} and
 * {@code import} read it) or as {@code .pcapng} for Wireshark; with {@code connection}, that
 * connection alone (the inspector offers it for a stream: a failing login for a bug report).
 * Without a capture database (a model built in memory) it answers 501. {@code GET /api/capture}
 * says whether it can, whether the capture grows while shown (the UI opens a growing one on its
 * newest stanzas, a stored one on its first), and where its analysis stands: a recording proxy's live
 * analysis (the UI says when it is paused or catching up), or an opened capture's, which the UI is
 * served during (it says how far it has come, or why it failed), and what imports into it
 * left out (a pcap's TCP connections that carry no XMPP: said where the capture is shown, not only
 * on the import's console).
 */
public final class CaptureExportApi implements WebExtension {

    public static final String PATH = "/api/capture/export";
    /** What a downloaded file's name leaves out of the capture's before it adds its own format's. */
    private static final Pattern CAPTURE_EXTENSION = Pattern.compile("\\.(mv\\.db|xscap|pcapng|pcap)$", Pattern.CASE_INSENSITIVE);

    private final CaptureStore store;
    private final String name;
    private final boolean growing;
    private final Supplier<ListenerState> analysis;
    private final Supplier<Optional<String>> analysisStopped;
    private final Supplier<Optional<Recorder.Stopped>> recordingStopped;
    private final Supplier<AnalysisProgress> openedAnalysis;

    private CaptureExportApi(CaptureStore store, String name, boolean growing, Supplier<ListenerState> analysis,
                             Supplier<Optional<String>> analysisStopped, Supplier<Optional<Recorder.Stopped>> recordingStopped,
                             Supplier<AnalysisProgress> openedAnalysis) {
        this.store = store;
        this.name = name;
        this.growing = growing;
        this.analysis = analysis;
        this.analysisStopped = analysisStopped;
        this.recordingStopped = recordingStopped;
        this.openedAnalysis = openedAnalysis;
    }

    /**
     * Exports {@code store}, an opened capture's database: it does not grow while shown.
     * {@code opened} is what was opened, as {@code open} names it: the database itself, or the
     * .xscap or pcap file imported into {@code store} (a temporary database whose name means nothing).
     */
    public static CaptureExportApi of(CaptureStore store, Path opened) {
        return new CaptureExportApi(store, opened.getFileName().toString(), false, null, null, null, null);
    }

    /** As {@link #of}, for a capture analyzed while it is served: {@code analysis} says how far that has come. */
    public static CaptureExportApi opened(CaptureStore store, Path opened, Supplier<AnalysisProgress> analysis) {
        return new CaptureExportApi(store, opened.getFileName().toString(), false, null, null, null, analysis);
    }

    /**
     * Exports {@code store}, the database the proxy records into: it grows while shown;
     * {@code analysis} says where the live analysis stands against the recording, and
     * {@code analysisStopped} why it stopped if it did (its worker died), {@code recordingStopped}
     * when and why the recording itself stopped, if it did (a full disk).
     */
    public static CaptureExportApi recording(CaptureStore store, Supplier<ListenerState> analysis,
                                             Supplier<Optional<String>> analysisStopped,
                                             Supplier<Optional<Recorder.Stopped>> recordingStopped) {
        return new CaptureExportApi(store, store.file().getFileName().toString(), true, analysis, analysisStopped,
                recordingStopped, null);
    }

    /** For a model with no capture database behind it: a replay, which grows as it plays. */
    public static CaptureExportApi unavailable() {
        return new CaptureExportApi(null, null, true, null, null, null, null);
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/capture", ApiParameters.none(this::describe));
        app.get(PATH, ApiParameters.takes(Set.of("format", "connection"),
                "format (xscap or pcapng) and connection (a connection id)", this::export));
    }

    /** {@code GET /api/capture}: whether the capture can be downloaded and as what, whether it grows, how its analysis follows. */
    private void describe(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exportable", store != null);
        m.put("name", name);
        m.put("formats", store == null ? List.of() : List.of("xscap", "pcapng"));
        m.put("live", growing);
        m.put("analysis", analysis != null ? toJson(analysis.get(), analysisStopped.get())
                : openedAnalysis != null ? toJson(openedAnalysis.get()) : null);
        m.put("recording", recordingStopped == null ? null : toJson(recordingStopped.get()));
        m.put("importNotes", store == null ? List.of() : store.importNotes());
        ctx.json(m);
    }

    /** {"state":"recording"}, or {"state":"stopped","since":EPOCH_MS,"reason":"..."} once a write failed. */
    private static Map<String, Object> toJson(Optional<Recorder.Stopped> stopped) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", stopped.isPresent() ? "stopped" : "recording");
        stopped.ifPresent(s -> {
            m.put("since", s.at().toEpochMilli());
            m.put("reason", s.reason());
        });
        return m;
    }

    /**
     * An opened capture's analysis: {"state":"analyzing","percent":N,"records":N,"totalRecords":N,"captureBytes":N},
     * {"state":"done"}, or {"state":"failed","reason":"...",...} (the counts as they stood); a capture
     * file's import before it, {"state":"importing","percent":N,"importedBytes":N,"fileBytes":N}, and
     * in every state after it, "importDamage" when the file was damaged (null when it was not).
     */
    private static Map<String, Object> toJson(AnalysisProgress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", p.state().name().toLowerCase(Locale.ROOT));
        if (p.state() == AnalysisProgress.State.FAILED) {
            m.put("reason", p.failure());
        }
        if (p.state() == AnalysisProgress.State.IMPORTING) {
            m.put("percent", p.percent());
            m.put("importedBytes", p.imported().bytesRead());
            m.put("fileBytes", p.imported().fileBytes());
        } else if (p.state() != AnalysisProgress.State.DONE) {
            m.put("percent", p.percent());
            m.put("records", p.records());
            m.put("totalRecords", p.totalRecords());
            m.put("captureBytes", p.captureBytes());
        }
        if (p.imported() != null) {
            m.put("importDamage", p.imported().damage());
        }
        return m;
    }

    /**
     * {"state":"live|catching-up|paused|stopped","behindBytes":N,"behindMillis":N,"intakeBytesPerSecond":N,
     * "followableBytesPerSecond":N}, with "reason" when stopped.
     */
    private static Map<String, Object> toJson(ListenerState s, Optional<String> stopped) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", stopped.isPresent() ? "stopped" : s.phase().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        stopped.ifPresent(why -> m.put("reason", why));
        m.put("behindBytes", s.behindBytes());
        m.put("behindMillis", s.behindNanos() / 1_000_000);
        m.put("intakeBytesPerSecond", s.intakeBytesPerSecond());
        m.put("followableBytesPerSecond", s.followableBytesPerSecond());
        return m;
    }

    /** {@code id}, if the capture holds that connection; else a 404. */
    private long recorded(long id) {
        try (CaptureReader reader = store.newReader()) {
            if (reader.connection(id).isEmpty()) {
                throw new ApiErrors.NotFound("no connection " + id + " in this capture");
            }
        }
        return id;
    }

    private void export(Context ctx) throws IOException {
        if (store == null) {
            ctx.status(HttpStatus.NOT_IMPLEMENTED).json(ApiJson.error(
                    "this view has no capture database to export (it was not started by 'proxy' or 'open')"));
            return;
        }
        if (openedAnalysis != null && openedAnalysis.get().state() == AnalysisProgress.State.IMPORTING) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(ApiJson.error(
                    "the capture is still being imported: it can be downloaded once it is"));
            return;
        }
        String format = ctx.queryParam("format") == null ? "xscap" : ctx.queryParam("format");
        if (!format.equals("xscap") && !format.equals("pcapng")) {
            throw new IllegalArgumentException("format must be xscap or pcapng, not '" + format + "'");
        }
        String asked = ctx.queryParam("connection");
        Long connection = asked == null ? null : recorded(ApiErrors.parseLong("connection", asked));
        String base = CAPTURE_EXTENSION.matcher(name).replaceFirst("").replaceAll("[^A-Za-z0-9._-]", "_")
                + (connection == null ? "" : "-connection-" + connection);
        Path dir = Files.createTempDirectory("xmppscope-export");
        Path file = dir.resolve(base + "." + format);
        try {
            CaptureFiles.export(store, file, Map.of("exportedBy", "xmppscope web UI"), ProgressBar.NONE,
                    connection == null ? Set.of() : Set.of(connection));
            ctx.contentType(format.equals("xscap") ? "application/octet-stream" : "application/vnd.tcpdump.pcap")
                    .header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"");
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(ctx.outputStream());
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
