package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.capture.TlsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A wrong upstream shows on the console at once, and a client retrying in a loop does not flood it. */
class UpstreamFailureLogTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final List<String> said = new ArrayList<>();
    private final UpstreamFailureLog log = new UpstreamFailureLog(clock::get, said::add);
    private final Route a = Route.parse("127.0.0.1:15222=127.0.0.2:5222", TlsMode.PASSTHROUGH);
    private final Route b = Route.parse("127.0.0.1:15269=127.0.0.3:5269", TlsMode.PASSTHROUGH);

    @Test
    void theFirstFailureOfEachRouteIsSaidAtOnceThenOneLinePerQuietPeriodCountsTheRest() {
        log.failed(a, "upstream 127.0.0.2:5222 refused the connection");
        log.failed(a, "upstream 127.0.0.2:5222 refused the connection");
        log.failed(b, "upstream 127.0.0.3:5269 did not answer within 10 s");
        advanceSeconds(UpstreamFailureLog.QUIET_SECONDS - 1);
        log.failed(a, "upstream 127.0.0.2:5222 refused the connection");
        advanceSeconds(1);
        log.failed(a, "upstream 127.0.0.2:5222 refused the connection");
        advanceSeconds(UpstreamFailureLog.QUIET_SECONDS);
        log.failed(a, "upstream 127.0.0.2:5222 refused the connection");
        assertEquals(List.of(
                "route 127.0.0.1:15222=127.0.0.2:5222: upstream 127.0.0.2:5222 refused the connection; the client was disconnected",
                "route 127.0.0.1:15269=127.0.0.3:5269: upstream 127.0.0.3:5269 did not answer within 10 s; the client was disconnected",
                "route 127.0.0.1:15222=127.0.0.2:5222: upstream 127.0.0.2:5222 refused the connection; the client was disconnected"
                        + " (and 2 more since the last message)",
                "route 127.0.0.1:15222=127.0.0.2:5222: upstream 127.0.0.2:5222 refused the connection; the client was disconnected"),
                said);
    }

    private void advanceSeconds(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }
}
