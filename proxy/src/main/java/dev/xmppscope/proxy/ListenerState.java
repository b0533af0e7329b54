package dev.xmppscope.proxy;

/**
 * Where a recorder listener (the live analysis) stands against the recording: following it,
 * catching up from the store, or paused while the recording takes in more than it can follow.
 * The web UI shows it beside "live", so a timeline that stops moving under a flood says why.
 *
 * @param phase                    see {@link Phase}
 * @param behindBytes              what the recording took in that the listener has not taken yet
 *                                 (while catching up: what is left to read); 0 when live
 * @param behindNanos              how far the last item the listener took lies behind the clock;
 *                                 0 when live
 * @param intakeBytesPerSecond     while paused: what the recording took in over the last second
 * @param followableBytesPerSecond while paused: the most the listener can follow
 */
public record ListenerState(Phase phase, long behindBytes, long behindNanos, long intakeBytesPerSecond,
                            long followableBytesPerSecond) {

    public static final ListenerState LIVE = new ListenerState(Phase.LIVE, 0, 0, 0, 0);

    public enum Phase {
        /** It takes each committed item from memory as it comes. */
        LIVE,
        /** It fell behind and reads what it missed from the store. */
        CATCHING_UP,
        /** It fell behind and waits: the recording takes in more than it could follow. */
        PAUSED
    }
}
