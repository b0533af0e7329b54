package dev.xmppscope.replay.live;

/**
 * One row of a replay diff, recorded answer beside replayed answer.
 *
 * @param change         {@code same}, {@code changed} (a recorded answer replaced by another),
 *                       {@code missing} (recorded, not answered now) or {@code added} (answered now only)
 * @param recorded       the recorded answer's shape (see {@link ReplayReport#diff()}), null when added
 * @param replayed       the live answer's shape, null when missing
 * @param recordedIndex  position of the recorded answer among the server's top-level elements, or -1
 * @param replayedIndex  position of the live answer among the server's top-level elements, or -1
 */
public record DiffStep(String change, String recorded, String replayed, int recordedIndex, int replayedIndex) {
}
