package dev.xmppscope.replay;

import dev.xmppscope.capture.CaptureSink;
import java.util.List;

/**
 * Where a replay is and how it moves, without threads or clocks: the caller says how much wall
 * time passed ({@link #advance}), and the cursor feeds the model everything whose capture time
 * has come, at the current speed. Seeking backwards swaps in a fresh model and feeds it up to
 * the new position at once. {@link CaptureReplayer} drives it from a thread.
 */
final class ReplayCursor implements AutoCloseable {
    static final double MIN_SPEED = 0.1;
    static final double MAX_SPEED = 100;

    enum State { PLAYING, PAUSED, ENDED }

    private final ReplayTimeline timeline;
    private final ReplayModel.Factory factory;
    private final long maxIdleNanos;
    private ReplayModel model;
    private int next;
    private long position;
    private double speed = 1.0;
    private State state = State.PAUSED;
    private boolean loop;

    /**
     * @param maxIdleNanos quiet stretches of the capture longer than this are shortened to it,
     *                     so a replay never sits still for long (e.g. while a server waited for a
     *                     timeout); 0 or less keeps the capture's timing exactly
     */
    ReplayCursor(ReplayTimeline timeline, ReplayModel.Factory factory, long maxIdleNanos) {
        this.timeline = timeline;
        this.factory = factory;
        this.maxIdleNanos = maxIdleNanos;
        this.model = factory.open();
        this.position = timeline.start();
    }

    ReplayModel model() {
        return model;
    }

    long position() {
        return position;
    }

    double speed() {
        return speed;
    }

    State state() {
        return state;
    }

    boolean loop() {
        return loop;
    }

    void setLoop(boolean loop) {
        this.loop = loop;
    }

    void setSpeed(double speed) {
        if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
            throw new IllegalArgumentException("speed must be between " + MIN_SPEED + " and " + MAX_SPEED + "x, not " + speed);
        }
        this.speed = speed;
    }

    void play() {
        if (state == State.ENDED) {
            seek(timeline.start());
        }
        state = State.PLAYING;
    }

    void pause() {
        if (state == State.PLAYING) {
            state = State.PAUSED;
        }
    }

    /** Lets {@code wallNanos} of real time pass; returns true when the replay reached its end now. */
    boolean advance(long wallNanos) {
        if (state != State.PLAYING) {
            return false;
        }
        skipQuiet();
        long target = position + (long) (wallNanos * speed);
        deliverUpTo(target);
        position = Math.min(Math.max(position, target), timeline.end());
        if (next >= timeline.size()) {
            position = timeline.end();
            state = State.ENDED;
            return true;
        }
        return false;
    }

    /** In a quiet stretch longer than maxIdle, jumps to maxIdle before the next record. */
    private void skipQuiet() {
        if (next < timeline.size() && maxIdleNanos > 0) {
            long due = timeline.get(next).at();
            if (due - position > maxIdleNanos) {
                position = due - maxIdleNanos;
            }
        }
    }

    /** Wall nanoseconds until the next record is due at the current speed (for the driver's sleep). */
    long wallNanosUntilNext() {
        if (next >= timeline.size()) {
            return Long.MAX_VALUE;
        }
        long gap = timeline.get(next).at() - position;
        if (maxIdleNanos > 0) {
            gap = Math.min(gap, maxIdleNanos);
        }
        return Math.max(0, (long) (gap / speed));
    }

    /**
     * Pauses and delivers up to the end of the next top-level element (with any connection
     * records before it), so the model shows one more stanza; returns false at the end.
     */
    boolean step() {
        if (state == State.PLAYING) {
            state = State.PAUSED;
        }
        while (next < timeline.size()) {
            ReplayTimeline.Item item = timeline.get(next++);
            item.deliver(model.sink());
            position = Math.max(position, item.at());
            if (item.completesElement()) {
                model.sink().flushed();
                return true;
            }
        }
        model.sink().flushed();
        state = State.ENDED;
        return false;
    }

    /**
     * Moves to capture time {@code at} (clamped to the capture). Forwards feeds what lies between
     * at once; backwards starts a fresh model fed up to {@code at}. Returns true when the model
     * was replaced (listeners must reload).
     */
    boolean seek(long at) {
        long target = Math.max(timeline.start(), Math.min(at, timeline.end()));
        boolean reset = false;
        if (target < position || (target == timeline.start() && next > 0)) {
            ReplayModel old = model;
            model = factory.open();
            next = 0;
            closeQuietly(old);
            reset = true;
        }
        position = target;
        deliverUpTo(target);
        if (state == State.ENDED && next < timeline.size()) {
            state = State.PAUSED;
        }
        return reset;
    }

    /** The narration reached: the last annotation at or before the position, or null. */
    static Annotation current(List<Annotation> annotations, long position) {
        Annotation current = null;
        for (Annotation a : annotations) {
            if (a.at() <= position) {
                current = a;
            }
        }
        return current;
    }

    private void deliverUpTo(long target) {
        CaptureSink sink = model.sink();
        boolean any = false;
        while (next < timeline.size() && timeline.get(next).at() <= target) {
            timeline.get(next++).deliver(sink);
            any = true;
        }
        if (any) {
            sink.flushed();
        }
    }

    private static void closeQuietly(ReplayModel m) {
        try {
            m.close();
        } catch (Exception e) {
            System.getLogger(ReplayCursor.class.getName()).log(System.Logger.Level.WARNING,
                    "could not close a replaced replay model: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(model);
    }
}
