package dev.xmppscope.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequirementsTest {
    @Test
    void aMissingProgramFailsTheTestAndSaysHowToInstallIt() {
        AssertionError e = assertThrows(AssertionError.class, () -> Requirements.require("sh", "no-such-xmpp-server-4711"));
        assertTrue(e.getMessage().contains("no-such-xmpp-server-4711"), e.getMessage());
        assertTrue(e.getMessage().contains("run .ci/install-deps"), e.getMessage());
    }

    @Test
    void presentProgramsPass() {
        Requirements.require("sh");
    }

    @Test
    void loopbackBlocksAreRandomAndDistinctWithinOneJvm() {
        LoopbackBlock a = LoopbackBlock.random();
        LoopbackBlock b = LoopbackBlock.random();
        assertTrue(!a.prefix().equals(b.prefix()), a + " vs " + b);
        assertTrue(a.host(2).startsWith("127."), a.host(2));
    }
}
