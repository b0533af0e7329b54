package dev.xmppscope.web.cli;

/** What a command says after it ended the connections an earlier recording left open ({@code CaptureStore.closeConnectionsLeftOpen}). */
final class LeftOpen {
    private LeftOpen() {
    }

    static String say(int count) {
        return count == 1
                ? "1 connection the recording left open when it stopped abruptly (killed, or its disk full) now ends"
                        + " at the last thing recorded on it (UNKNOWN)"
                : count + " connections the recording left open when it stopped abruptly (killed, or its disk full) now end"
                        + " at the last thing recorded on each (UNKNOWN)";
    }
}
