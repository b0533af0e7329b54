package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KernelThreadsTest {
    @Test
    void aThreadNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        // a stat line as Linux writes it: 52 fields, the name in parentheses (fields 14/15 CPU ticks, 41 the policy)
        StringBuilder fields = new StringBuilder("S");
        for (int field = 4; field <= 52; field++) {
            fields.append(' ').append(field == 14 ? "7" : field == 15 ? "5" : field == 41 ? "5" : "0");
        }
        KernelThreads.Stat t = KernelThreads.parse("42", "42 (C2 a) (b) " + fields);
        assertEquals(new KernelThreads.Stat("42", "C2 a) (b", KernelThreads.SCHED_IDLE, 12), t);
    }

    @Test
    void listsTheCallingThreadAndRefusesAProcessThatDoesNotExist() throws IOException {
        String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        KernelThreads.Stat me = KernelThreads.of("self").stream().filter(t -> t.tid().equals(self)).findFirst().orElseThrow();
        assertEquals(0, me.policy(), "an ordinary thread (SCHED_OTHER)");
        assertTrue(me.cpuTicks() >= 0);
        assertThrows(IOException.class, () -> KernelThreads.of("999999999"));
    }
}
