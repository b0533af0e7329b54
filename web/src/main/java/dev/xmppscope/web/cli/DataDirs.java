package dev.xmppscope.web.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Where xmppscope keeps things by default: {@code $XDG_DATA_HOME/xmppscope} or {@code ~/.local/share/xmppscope}. */
final class DataDirs {

    private DataDirs() {
    }

    static Path base() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return root.resolve("xmppscope");
    }

    /** A fresh capture database path, named after the moment the proxy started. */
    static Path newCapture() {
        return base().resolve("captures").resolve("capture-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
