package dev.xmppscope.capture.file;

import dev.xmppscope.capture.CaptureSink;

/**
 * Anything that can feed a whole capture, in time order, into a {@link CaptureSink}: a capture
 * database ({@code store.newReader()::replay}), an {@code .xscap} file, a pcap. Exporters that
 * need two passes (e.g. to classify connections before writing them) call it twice.
 */
@FunctionalInterface
public interface CaptureSource {
    void replay(CaptureSink sink);
}
