package dev.xmppscope.web.api;

import dev.xmppscope.analyzer.model.SearchSupersededException;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.web.worker.AnalysisUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns failures into JSON errors a script can read: bad parameters 400 (one given twice too),
 * unknown things 404, a search a newer one of the same client replaced 409, an analysis that
 * cannot answer (stopped, or its files unreadable: a full disk) 503.
 */
public final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    /** An unknown connection, stanza or route. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    public static void register(Javalin app) {
        app.before("/api/*", ApiErrors::refuseRepeatedParameters);
        // an API path that names no endpoint answers in the API's shape too (Javalin's own is plain text)
        app.error(HttpStatus.NOT_FOUND, ctx -> {
            String type = ctx.res().getContentType();
            if (ctx.path().startsWith("/api/") && (type == null || !type.startsWith("application/json"))) {
                ctx.json(ApiJson.error("no API endpoint " + ctx.method() + " " + ctx.path() + " (README's 'JSON API' lists them)"));
            }
        });
        app.exception(IllegalArgumentException.class, (e, ctx) ->
                ctx.status(HttpStatus.BAD_REQUEST).json(ApiJson.error(e.getMessage())));
        app.exception(NotFound.class, (e, ctx) ->
                ctx.status(HttpStatus.NOT_FOUND).json(ApiJson.error(e.getMessage())));
        app.exception(SearchSupersededException.class, (e, ctx) ->
                ctx.status(HttpStatus.CONFLICT).json(ApiJson.error(e.getMessage())));
        app.exception(AnalysisUnavailableException.class, (e, ctx) ->
                ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(ApiJson.error(e.getMessage())));
        app.exception(RuntimeException.class, (e, ctx) -> {
            if (CaptureStoreException.fromFiles(e)) { // the analysis file or capture on a full or failing disk
                LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), CaptureStoreException.reason(e));
                ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(ApiJson.error(ctx.path() + " failed: the capture's files"
                        + " cannot be read: " + CaptureStoreException.reason(e)));
                return;
            }
            LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .json(ApiJson.error(ctx.path() + " failed: " + e.getMessage()));
        });
    }

    /**
     * Every parameter takes one value: {@code conn=1&conn=2} would otherwise answer for connection 1
     * alone, and look like what was asked.
     */
    private static void refuseRepeatedParameters(Context ctx) {
        ctx.queryParamMap().forEach((name, values) -> {
            if (values.size() > 1) {
                throw new IllegalArgumentException("parameter '" + name + "' is given " + values.size() + " times ("
                        + values.stream().map(v -> name + "=" + v).collect(Collectors.joining(", ")) + "): it takes one value");
            }
        });
    }

    static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }
}
