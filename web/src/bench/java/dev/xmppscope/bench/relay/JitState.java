package dev.xmppscope.bench.relay;

import dev.xmppscope.proxy.JitYield;
import dev.xmppscope.proxy.KernelThreads;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Whether a relay's JVM has moved its C2 compiler to background priority ({@code JitYield}): its warm-up is over. */
public final class JitState {
    private JitState() {
    }

    /** Empty when {@code pid} has no C2 compiler thread (not a HotSpot JVM, or gone); else whether all of them yielded. */
    public static Optional<Boolean> c2Yielded(long pid) {
        List<KernelThreads.Stat> c2;
        try {
            c2 = KernelThreads.of(Long.toString(pid)).stream().filter(JitYield::isC2Compiler).toList();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return c2.isEmpty() ? Optional.empty() : Optional.of(c2.stream().allMatch(t -> t.policy() == KernelThreads.SCHED_IDLE));
    }
}
