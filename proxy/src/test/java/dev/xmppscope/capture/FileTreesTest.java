package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The working directory an import, export or replay leaves goes whole, and one already gone is no error. */
class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkingDirectoryGoesWithEverythingUnderIt() throws IOException {
        Path work = tmp.resolve("xmppscope-open123");
        try (CaptureStore store = CaptureStore.open(work.resolve("import"))) {
            assertTrue(Files.exists(store.file()));
        }
        Files.createDirectories(work.resolve("deeper/still"));
        Files.writeString(work.resolve("deeper/still/note.txt"), "x");
        Path beside = Files.writeString(tmp.resolve("beside.txt"), "kept");

        FileTrees.delete(work);

        assertFalse(Files.exists(work));
        assertTrue(Files.exists(beside), "only the tree goes");
        FileTrees.delete(work); // gone already: nothing to do
    }
}
