package dev.xmppscope.replay;

import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.web.ModelSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Replays a capture into fresh models in (scaled) real time, for the web UI: play, pause, step
 * one piece of conversation, speed 0.1–100x, seek anywhere, loop. Seeking backwards or looping
 * replaces the model; {@link #onReset} listeners then get the new one (the UI reloads).
 * One daemon thread drives the clock; every control is safe to call from request threads.
 */
public final class CaptureReplayer implements ModelSource, AutoCloseable {
    /** How long the end of a looping replay stays on screen before it starts over. */
    private static final long LOOP_PAUSE_NANOS = 3_000_000_000L;
    /** The driver wakes at least this often, so controls and the position stay fresh. */
    private static final long MAX_SLEEP_NANOS = 100_000_000L;

    private final ReplayTimeline timeline;
    private final long timelineEnd;
    private final ReplayCursor cursor;
    private final List<Annotation> annotations;
    private final List<Consumer<CaptureModel>> resetListeners = new CopyOnWriteArrayList<>();
    private final Thread driver;
    private volatile CaptureModel current;
    private long lastTick;
    private long endedAt;
    private boolean closed;

    /**
     * Options of a replay.
     *
     * @param speed        initial speed (1 = as recorded)
     * @param loop         start over at the end
     * @param autoplay     start playing at once
     * @param maxIdleMillis quiet stretches longer than this (capture time) are shortened; 0 keeps them
     */
    public record Options(double speed, boolean loop, boolean autoplay, long maxIdleMillis) {
        public static Options defaults() {
            return new Options(1.0, true, true, 2_000);
        }
    }

    private CaptureReplayer(ReplayTimeline timeline, List<Annotation> annotations, ReplayModel.Factory factory,
                            Options options) {
        this.timeline = timeline;
        this.timelineEnd = timeline.end();
        this.cursor = new ReplayCursor(timeline, factory, options.maxIdleMillis() * 1_000_000L);
        this.annotations = List.copyOf(annotations);
        this.cursor.setSpeed(options.speed());
        this.cursor.setLoop(options.loop());
        this.current = cursor.model().model();
        this.driver = new Thread(this::drive, "xmppscope-replay");
        this.driver.setDaemon(true);
        if (options.autoplay()) {
            play();
        }
    }

    /** Starts a replay of {@code timeline} (paused unless {@code options.autoplay()}). */
    public static CaptureReplayer start(ReplayTimeline timeline, List<Annotation> annotations, ReplayModel.Factory factory,
                                        Options options) {
        CaptureReplayer r = new CaptureReplayer(timeline, annotations, factory, options);
        r.driver.start();
        return r;
    }

    @Override
    public CaptureModel current() {
        return current;
    }

    @Override
    public AutoCloseable onReset(Consumer<CaptureModel> listener) {
        resetListeners.add(listener);
        return () -> resetListeners.remove(listener);
    }

    public synchronized void play() {
        cursor.play();
        lastTick = System.nanoTime();
        afterChange();
    }

    public synchronized void pause() {
        tick();
        cursor.pause();
        notifyAll();
    }

    /** Pauses and moves on by one stanza (the next top-level element on any stream). */
    public synchronized void step() {
        tick();
        if (!cursor.step()) {
            endedAt = System.nanoTime();
        }
        afterChange();
    }

    /** @throws IllegalArgumentException outside 0.1–100 */
    public synchronized void speed(double speed) {
        tick();
        cursor.setSpeed(speed);
        notifyAll();
    }

    public synchronized void loop(boolean loop) {
        cursor.setLoop(loop);
    }

    /** Moves to capture time {@code atNanos} (epoch nanoseconds, clamped to the capture). */
    public synchronized void seek(long atNanos) {
        tick();
        boolean reset = cursor.seek(atNanos);
        lastTick = System.nanoTime();
        if (reset) {
            announceReset();
        }
        afterChange();
    }

    public synchronized ReplayStatus status() {
        tick();
        ReplayCursor.State s = cursor.state();
        return new ReplayStatus(s.name().toLowerCase(Locale.ROOT), cursor.speed(), cursor.position(), timeline.start(),
                timelineEnd, cursor.loop(), ReplayCursor.current(annotations, cursor.position()), annotations);
    }

    public List<Annotation> annotations() {
        return annotations;
    }

    /** Moves the clock on to now (called under the lock). */
    private void tick() {
        long now = System.nanoTime();
        if (cursor.state() == ReplayCursor.State.PLAYING) {
            if (cursor.advance(now - lastTick)) {
                endedAt = now;
            }
        }
        lastTick = now;
    }

    private void afterChange() {
        current = cursor.model().model();
        notifyAll();
    }

    private void announceReset() {
        current = cursor.model().model();
        for (Consumer<CaptureModel> l : resetListeners) {
            l.accept(current);
        }
    }

    private synchronized void drive() {
        while (!closed) {
            try {
                tick();
                long sleep = MAX_SLEEP_NANOS;
                if (cursor.state() == ReplayCursor.State.PLAYING) {
                    sleep = Math.min(sleep, cursor.wallNanosUntilNext());
                } else if (cursor.state() == ReplayCursor.State.ENDED && cursor.loop()) {
                    long left = LOOP_PAUSE_NANOS - (System.nanoTime() - endedAt);
                    if (left <= 0) {
                        cursor.seek(Long.MIN_VALUE);
                        announceReset();
                        cursor.play();
                        lastTick = System.nanoTime();
                        continue;
                    }
                    sleep = Math.min(sleep, left);
                }
                long millis = Math.max(1, sleep / 1_000_000L);
                wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a model that throws must not kill the replay silently: say so and stop playing
                System.getLogger(CaptureReplayer.class.getName()).log(System.Logger.Level.ERROR,
                        "the replay stopped: " + e.getMessage(), e);
                cursor.pause();
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        driver.interrupt();
        try {
            driver.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            cursor.close();
        }
    }
}
