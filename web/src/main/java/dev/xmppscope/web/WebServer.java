package dev.xmppscope.web;

import dev.xmppscope.web.api.ApiErrors;
import dev.xmppscope.web.api.ApiJson;
import dev.xmppscope.web.api.ApiParameters;
import dev.xmppscope.web.api.CaptureExportApi;
import dev.xmppscope.web.api.ConnectionsApi;
import dev.xmppscope.web.api.GraphApi;
import dev.xmppscope.web.api.RoutesApi;
import dev.xmppscope.web.api.StanzasApi;
import dev.xmppscope.web.live.LiveSocket;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The xmppscope web app: the JSON API under {@code /api}, the live WebSocket, and the UI's
 * static files, all registered here in one place. Everything it shows comes from the
 * {@link ModelSource}'s current model, so a replay may swap models under it.
 */
public final class WebServer implements AutoCloseable {
    /** The replay controls' view: {@code GET /api/replay}. */
    public static final String REPLAY = "replay";
    /** The replay diffs' view: {@code GET /api/diffs}. */
    public static final String DIFFS = "diffs";

    private final Javalin app;
    private final LiveSocket live;
    private final WebOptions options;

    private WebServer(Javalin app, LiveSocket live, WebOptions options) {
        this.app = app;
        this.live = live;
        this.options = options;
    }

    /**
     * Starts the app on {@code options}' address. {@code extensions} add routes (replay controls,
     * the capture export of a database: pass {@link CaptureExportApi#of}; without one the export
     * answers 501).
     */
    public static WebServer start(WebOptions options, ModelSource source, List<WebExtension> extensions) {
        AccessGuard guard = new AccessGuard(options);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(ApiJson.MAPPER, false));
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/assets";
                sf.directory = "/web/assets";
                sf.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
        });
        app.before(ctx -> {
            SecurityHeaders.apply(ctx);
            guard.checkRequest(ctx);
        });
        ApiErrors.register(app);
        new ConnectionsApi(source).register(app);
        new StanzasApi(source).register(app);
        new GraphApi(source).register(app);
        new RoutesApi(source).register(app);
        if (extensions.stream().noneMatch(e -> e instanceof CaptureExportApi)) {
            CaptureExportApi.unavailable().register(app);
        }
        // the UI asks for each optional view: "none" rather than a 404, a red line in the browser's console
        Set<String> views = extensions.stream().flatMap(e -> e.views().stream()).collect(Collectors.toSet());
        if (!views.contains(REPLAY)) {
            app.get("/api/replay", ApiParameters.none(ctx -> ctx.json(Map.of("state", "none"))));
        }
        if (!views.contains(DIFFS)) {
            app.get("/api/diffs", ApiParameters.none(ctx -> ctx.json(ApiJson.items(List.of()))));
        }
        LiveSocket live = new LiveSocket(source);
        live.register(app, guard::checkUpgrade);
        new SpaPages().register(app);
        for (WebExtension extension : extensions) {
            extension.register(app);
        }
        try {
            app.start(options.host(), options.port());
        } catch (RuntimeException e) {
            live.close();
            // the message says it all: Jetty's causes only repeat it ("Port already in use...",
            // "Failed to bind..."), so they are kept for XMPPSCOPE_DEBUG's trace, not as causes
            IllegalStateException explained = new IllegalStateException("the web UI cannot listen on " + options.host()
                    + ":" + options.port() + " (" + rootMessage(e) + "); choose another with --web HOST:PORT");
            explained.addSuppressed(e);
            throw explained;
        }
        return new WebServer(app, live, options);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** The address to open in a browser, with the access token when one is required. */
    public String url() {
        return url(options.host(), port(), options.requiresToken() ? options.accessToken() : null);
    }

    /** The URL to open for a UI bound to {@code host}: on every address (0.0.0.0, ::), a browser here reaches it on loopback. */
    static String url(String host, int port, String token) {
        String shown = wildcard(host) ? "127.0.0.1" : host;
        String base = "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port + "/";
        return token != null ? base + "?token=" + token : base;
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0");
    }

    public WebOptions options() {
        return options;
    }

    /** Open WebSocket sessions (for tests and diagnostics). */
    public int liveSessions() {
        return live.sessionCount();
    }

    @Override
    public void close() {
        live.close();
        app.stop();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
