package dev.xmppscope.replay;

/**
 * A line of narration the UI shows when the replay reaches it.
 *
 * @param at   capture time, epoch nanoseconds
 * @param text what to say ("here b.example verifies a.example's dialback key")
 */
public record Annotation(long at, String text) {
}
