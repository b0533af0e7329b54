package dev.xmppscope.capture;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link CaptureStoreTest}: holds the capture database at {@code args[0]}
 * open, as a recording proxy does, until its standard input closes.
 */
public final class HoldsCapture {
    private HoldsCapture() {
    }

    public static void main(String[] args) throws Exception {
        try (CaptureStore store = CaptureStore.open(Path.of(args[0]))) {
            System.out.println("OPEN " + store.id());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
