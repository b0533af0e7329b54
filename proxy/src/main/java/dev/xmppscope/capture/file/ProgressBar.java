package dev.xmppscope.capture.file;

import java.io.PrintStream;

/**
 * Tells a person how far a long export or import has come. {@link #NONE} when nobody is
 * watching; {@link #onStderr} draws a one-line bar on standard error, redrawn in place.
 */
public interface ProgressBar {

    /** Progress nobody sees (tests, pipes). */
    ProgressBar NONE = new ProgressBar() {
        @Override
        public void update(long done) {
        }

        @Override
        public void finish() {
        }
    };

    /** {@code done} units out of the total given when the bar was made. */
    void update(long done);

    /** The work is over: leave the bar's last state on its own line. */
    void finish();

    /**
     * A bar on stderr when stderr is a terminal or {@code force} is set, otherwise {@link #NONE}.
     *
     * @param label what is being done ("exporting capture.xscap")
     * @param total the amount of work, in the units {@link #update} counts; 0 or less if unknown
     * @param unit  what one unit is ("records", "bytes")
     */
    static ProgressBar onStderr(String label, long total, String unit, boolean force) {
        if (!force && System.console() == null) {
            return NONE;
        }
        return new TextProgressBar(System.err, label, total, unit);
    }

    /** A bar drawn with carriage returns on {@code out}, at most ten times a second. */
    final class TextProgressBar implements ProgressBar {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private final String label;
        private final long total;
        private final String unit;
        private long lastDraw;
        private long done;

        TextProgressBar(PrintStream out, String label, long total, String unit) {
            this.out = out;
            this.label = label;
            this.total = total;
            this.unit = unit;
        }

        @Override
        public void update(long done) {
            this.done = done;
            long now = System.nanoTime();
            if (now - lastDraw > 100_000_000L) {
                lastDraw = now;
                draw();
            }
        }

        @Override
        public void finish() {
            if (total > 0) {
                done = Math.max(done, total);
            }
            draw();
            out.println();
        }

        private void draw() {
            if (total > 0) {
                int filled = (int) Math.min(WIDTH, done * WIDTH / total);
                out.printf("\r%s [%s%s] %3d%% %d/%d %s", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                        Math.min(100, done * 100 / total), done, total, unit);
            } else {
                out.printf("\r%s %d %s", label, done, unit);
            }
            out.flush();
        }
    }
}
