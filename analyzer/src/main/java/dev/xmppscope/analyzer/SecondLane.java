package dev.xmppscope.analyzer;

import dev.xmppscope.capture.BackgroundThreads;
import dev.xmppscope.capture.CaptureStoreException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The thread that parses the second lane of streams ({@link StreamParsers#lane}) during a bulk
 * analysis, while the reading thread parses the first: with one parsing thread, that thread held
 * two thirds of an analysis's CPU, and a machine with more than two cores could not share it out.
 * Tasks run one at a time, in the order given, so each stream's chunks are parsed in order. What
 * waits here is bounded by what the reading side may hold ahead of the model
 * ({@link dev.xmppscope.capture.ReadAhead}).
 */
final class SecondLane implements AutoCloseable {
    private final ExecutorService thread;

    SecondLane(String what) {
        // at normal priority, as the reading thread: a bulk analysis has no relay to yield to
        thread = Executors.newSingleThreadExecutor(task -> BackgroundThreads.newThread("xmppscope-parse-lane " + what, task, false));
    }

    /** Runs {@code parse} after what was given before it. */
    Future<StreamParsers.Parsed> parse(Supplier<StreamParsers.Parsed> parse) {
        return thread.submit(parse::get);
    }

    /** What {@code parsed} gave, once it has. A parse's own failures are in its result; anything else is thrown as it was. */
    static StreamParsers.Parsed await(Future<?> parsed) {
        try {
            return (StreamParsers.Parsed) parsed.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureStoreException("interrupted while parsing the capture", e);
        }
    }

    /**
     * Runs what was given (the last streams' parse readers handed back) and stops the thread;
     * returns once it has, so that the lane's parsers are then safe to use from the caller's thread.
     */
    @Override
    public void close() {
        thread.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (thread.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
