package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureStore;
import java.util.Optional;

/**
 * The connections an earlier recording left open when it stopped abruptly (killed, or its disk
 * full): every command that opens a capture to show, export or record into it ends them first
 * ({@link CaptureStore#closeConnectionsLeftOpen}), and says so in these words.
 */
final class LeftOpen {
    private LeftOpen() {
    }

    /** Ends the connections {@code store} was left with open; what to say about them, if there were any. */
    static Optional<String> close(CaptureStore store) {
        int count = store.closeConnectionsLeftOpen();
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(count == 1
                ? "1 connection the recording left open when it stopped abruptly (killed, or its disk full) now ends"
                        + " at the last thing recorded on it (UNKNOWN)"
                : count + " connections the recording left open when it stopped abruptly (killed, or its disk full) now end"
                        + " at the last thing recorded on each (UNKNOWN)");
    }
}
