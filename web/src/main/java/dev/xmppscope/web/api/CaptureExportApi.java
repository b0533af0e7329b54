package dev.xmppscope.web.api;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.web.WebExtension;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * {@code GET /api/capture/export}: downloads the capture being shown. Until the portable
 * {@code .xscap} exporter exists this is a consistent online copy of the H2 database file
 * (H2's {@code BACKUP TO}, a zip holding {@code NAME.mv.db}), which {@code xmppscope open} reads
 * after unzipping. Without a capture database (e.g. a model built in memory) it answers 501.
 */
public final class CaptureExportApi implements WebExtension {

    public static final String PATH = "/api/capture/export";

    private final CaptureStore store;

    private CaptureExportApi(CaptureStore store) {
        this.store = store;
    }

    /** Exports {@code store} (the live proxy's or the opened capture's database). */
    public static CaptureExportApi of(CaptureStore store) {
        return new CaptureExportApi(store);
    }

    /** For a model with no capture database behind it. */
    public static CaptureExportApi unavailable() {
        return new CaptureExportApi(null);
    }

    @Override
    public void register(Javalin app) {
        app.get(PATH, this::export);
    }

    private void export(Context ctx) throws IOException {
        if (store == null) {
            ctx.status(HttpStatus.NOT_IMPLEMENTED).json(ApiJson.error(
                    "this view has no capture database to export (it was not started by 'proxy' or 'open')"));
            return;
        }
        Path dir = Files.createTempDirectory("xmppscope-export");
        Path zip = dir.resolve("capture.zip");
        try {
            backup(zip);
            String base = store.file().getFileName().toString().replace(".mv.db", "");
            ctx.contentType("application/zip")
                    .header("Content-Disposition", "attachment; filename=\"" + base.replaceAll("[^A-Za-z0-9._-]", "_") + ".zip\"");
            try (InputStream in = Files.newInputStream(zip)) {
                in.transferTo(ctx.outputStream());
            }
        } finally {
            Files.deleteIfExists(zip);
            Files.deleteIfExists(dir);
        }
    }

    private void backup(Path zip) {
        try (Connection c = store.newConnection();
             PreparedStatement ps = c.prepareStatement("BACKUP TO ?")) {
            ps.setString(1, zip.toString());
            ps.execute();
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("cannot copy capture database " + store.file()
                    + " for export: " + e.getMessage(), e));
        }
    }
}
