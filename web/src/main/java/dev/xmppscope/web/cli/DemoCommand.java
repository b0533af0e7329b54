package dev.xmppscope.web.cli;

import dev.xmppscope.replay.AnalyzerReplayModels;
import dev.xmppscope.replay.BundledSample;
import dev.xmppscope.replay.CaptureReplayer;
import dev.xmppscope.replay.ReplayApi;
import dev.xmppscope.replay.ReplayTimeline;
import dev.xmppscope.web.WebOptions;
import dev.xmppscope.web.WebServer;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code xmppscope demo}: a bundled sample, replayed live in a loop into the web UI. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
                "Replays a real capture shipped with xmppscope into the web UI, live and in a loop: watch XMPP without installing any server.",
                "",
                "In the federation sample, a.example, b.example and c.example (three Prosody servers) federate with dialback while four users on Smack clients chat, subscribe to presence, ping across servers, meet in a chat room on b.example's MUC service, write to someone offline, invite and decline, and keep two clients in step with message carbons. Narration explains each step as it happens. Use the replay controls in the UI to pause, step one stanza at a time, change speed or seek.",
                "",
                "Other samples: --sample negotiation (STARTTLS, SCRAM, bind, stream management) and --sample failures (wrong password, a stream error, an IQ that never gets an answer).",
                ""
        },
        footer = {
                "",
                "Examples:",
                "  # STARTTLS, SCRAM, resource binding and stream management, slowly",
                "  xmppscope demo --sample negotiation --speed 0.5",
                "",
                "  # once through the failures, on another port",
                "  xmppscope demo --sample failures --no-loop --web 127.0.0.1:9090"
        })
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--web", paramLabel = "HOST:PORT", defaultValue = WebOptions.DEFAULT, converter = WebOptionsConverter.class,
            description = "where the web UI listens (default: ${DEFAULT-VALUE})")
    WebOptions web;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1",
            description = "replay speed, 0.1 to 100 (default: ${DEFAULT-VALUE}; quiet stretches are shortened anyway)")
    double speed;

    @Option(names = "--sample", paramLabel = "NAME", defaultValue = "federation",
            description = "which bundled sample: federation, negotiation or failures (default: ${DEFAULT-VALUE})")
    String sample;

    @Option(names = "--no-loop", description = "stop at the end instead of starting over")
    boolean noLoop;

    @Override
    public Integer call() throws InterruptedException {
        // mistakes in the options are usage errors, said before anything starts
        if (!(speed >= 0.1 && speed <= 100)) {
            throw new ParameterException(spec.commandLine(), "--speed must be between 0.1 and 100, not " + speed);
        }
        List<String> samples = BundledSample.available();
        if (!samples.contains(sample)) {
            throw new ParameterException(spec.commandLine(), "--sample must be " + String.join(", ", samples.subList(0,
                    samples.size() - 1)) + " or " + samples.get(samples.size() - 1) + ", not '" + sample + "'");
        }
        Running demo = start(sample, web, speed, !noLoop);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "xmppscope-demo-shutdown"));
        System.out.println("xmppscope demo: replaying the '" + sample + "' sample" + (noLoop ? "" : " in a loop")
                + " at " + demo.server().url());
        System.out.println("open it in a browser; Ctrl-C stops");
        stopped.await();
        return 0;
    }

    /** A running demo: the web server and the replay feeding it. */
    record Running(WebServer server, CaptureReplayer replayer, AnalyzerReplayModels models) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                replayer.close();
                models.close();
            }
        }
    }

    /** Starts replaying bundled sample {@code name} into a web server on {@code options}. */
    static Running start(String name, WebOptions options, double speed, boolean loop) {
        if (!(speed >= 0.1 && speed <= 100)) {
            throw new IllegalArgumentException("--speed must be between 0.1 and 100, not " + speed);
        }
        BundledSample s = BundledSample.open(name);
        ReplayTimeline timeline = ReplayTimeline.load(s.reader());
        AnalyzerReplayModels models = new AnalyzerReplayModels();
        CaptureReplayer replayer = CaptureReplayer.start(timeline, s.annotations(timeline), models,
                new CaptureReplayer.Options(speed, loop, true, 2_000));
        try {
            return new Running(WebServer.start(options, replayer, List.of(new ReplayApi(replayer))), replayer, models);
        } catch (RuntimeException e) {
            replayer.close();
            models.close();
            throw e;
        }
    }
}
