package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.TlsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A wrong upstream or a failing TLS handshake shows on the console at once; a client retrying in a loop does not flood it. */
class RouteWarningsTest {
    private static final CloseReason UPSTREAM = CloseReason.UPSTREAM_UNREACHABLE;
    private final AtomicLong clock = new AtomicLong(1_000);
    private final List<String> said = new ArrayList<>();
    private final RouteWarnings warnings = new RouteWarnings(clock::get, said::add);
    private final Route a = Route.parse("127.0.0.1:15222=127.0.0.2:5222", TlsMode.PASSTHROUGH);
    private final Route b = Route.parse("127.0.0.1:15269=127.0.0.3:5269", TlsMode.PASSTHROUGH);

    @Test
    void theFirstProblemOfEachRouteAndKindIsSaidAtOnceThenOneLinePerQuietPeriodCountsTheRest() {
        warnings.connectionEnded(a, CloseReason.CLIENT_CLOSED, "client 127.0.0.1:40000 closed"); // ordinary: not said
        warnings.connectionEnded(a, UPSTREAM, "upstream 127.0.0.2:5222 refused the connection");
        warnings.connectionEnded(a, UPSTREAM, "upstream 127.0.0.2:5222 refused the connection");
        warnings.connectionEnded(b, UPSTREAM, "upstream 127.0.0.3:5269 did not answer within 10 s");
        warnings.connectionEnded(a, CloseReason.TLS_FAILED, "TLS with client 127.0.0.1:40000 failed: certificate_unknown");
        advanceSeconds(RouteWarnings.QUIET_SECONDS - 1);
        warnings.connectionEnded(a, UPSTREAM, "upstream 127.0.0.2:5222 refused the connection");
        advanceSeconds(1);
        warnings.connectionEnded(a, UPSTREAM, "upstream 127.0.0.2:5222 refused the connection");
        advanceSeconds(RouteWarnings.QUIET_SECONDS);
        warnings.connectionEnded(a, UPSTREAM, "upstream 127.0.0.2:5222 refused the connection");
        assertEquals(List.of(
                "route 127.0.0.1:15222=127.0.0.2:5222: upstream 127.0.0.2:5222 refused the connection; the connection was closed",
                "route 127.0.0.1:15269=127.0.0.3:5269: upstream 127.0.0.3:5269 did not answer within 10 s; the connection was closed",
                "route 127.0.0.1:15222=127.0.0.2:5222: TLS with client 127.0.0.1:40000 failed: certificate_unknown; the connection was closed",
                "route 127.0.0.1:15222=127.0.0.2:5222: upstream 127.0.0.2:5222 refused the connection; the connection was closed"
                        + " (and 2 more like it since the last message)",
                "route 127.0.0.1:15222=127.0.0.2:5222: upstream 127.0.0.2:5222 refused the connection; the connection was closed"),
                said);
    }

    private void advanceSeconds(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }
}
