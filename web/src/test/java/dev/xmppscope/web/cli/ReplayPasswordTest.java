package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code xmppscope replay} takes its password from, and what it says when it cannot. */
class ReplayPasswordTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path tmp;

    @Test
    void aFileGivesItsFirstLineWithoutTheLineEnd() throws Exception {
        Path file = Files.writeString(tmp.resolve("pw"), "s3cret with spaces \r\nsecond line\n");
        assertEquals("s3cret with spaces ", ReplayPassword.resolve(null, file, NO_ENV, () -> null));
    }

    @Test
    void theEnvironmentAndTheOptionWorkToo() {
        assertEquals("from-env", ReplayPassword.resolve(null, null, Map.of(ReplayPassword.ENV, "from-env"), () -> null));
        assertEquals("typed", ReplayPassword.resolve("typed", null, NO_ENV, () -> null));
    }

    @Test
    void twoSourcesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReplayPassword.resolve("typed", null, Map.of(ReplayPassword.ENV, "from-env"), () -> null));
        assertEquals("the password is given twice (--password and XMPPSCOPE_PASSWORD): give it once", e.getMessage());
    }

    @Test
    void withoutASourceOrATerminalTheErrorSaysHowToGiveIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReplayPassword.resolve(null, null, NO_ENV, () -> null));
        assertTrue(e.getMessage().contains("--password-file FILE") && e.getMessage().contains(ReplayPassword.ENV), e.getMessage());
    }

    @Test
    void aMissingOrEmptyFileIsNamed() throws Exception {
        Path missing = tmp.resolve("nope");
        assertEquals("--password-file " + missing + " does not exist",
                assertThrows(IllegalArgumentException.class, () -> ReplayPassword.resolve(null, missing, NO_ENV, () -> null)).getMessage());
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReplayPassword.resolve(null, empty, NO_ENV, () -> null))
                .getMessage().endsWith("is empty: its first line is the password"));
    }
}
