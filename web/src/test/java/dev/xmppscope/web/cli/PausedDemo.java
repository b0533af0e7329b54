package dev.xmppscope.web.cli;

import dev.xmppscope.web.WebOptions;

/** A bundled sample replayed by the demo, paused at its end: everything analysed, nothing moving under a test. */
final class PausedDemo {
    private PausedDemo() {
    }

    static DemoCommand.Running atItsEnd(String sample) {
        DemoCommand.Running demo = DemoCommand.start(sample, WebOptions.loopback(0), 1, false);
        demo.replayer().pause();
        demo.replayer().seek(demo.replayer().status().end());
        return demo;
    }
}
