package dev.xmppscope.replay;

import java.util.List;

/**
 * What {@code GET /api/replay} answers.
 *
 * @param state       {@code playing}, {@code paused} or {@code ended}
 * @param speed       playback speed, 0.1 to 100 (1 = as recorded)
 * @param position    capture time reached, epoch nanoseconds
 * @param start       capture time of the first record
 * @param end         capture time of the last record
 * @param loop        whether the replay starts over at the end
 * @param annotation  the narration reached (the last one at or before the position), or null
 * @param annotations all narration, in time order
 */
public record ReplayStatus(String state, double speed, long position, long start, long end, boolean loop,
                           Annotation annotation, List<Annotation> annotations) {
}
