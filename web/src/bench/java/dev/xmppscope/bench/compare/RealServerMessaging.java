package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.Comparison;
import dev.xmppscope.bench.relay.Contender;
import dev.xmppscope.bench.relay.CpuTime;
import dev.xmppscope.bench.relay.Relay;
import dev.xmppscope.bench.relay.StartedRelays;
import dev.xmppscope.bench.relay.Xmppscope;
import dev.xmppscope.bench.report.ComparisonReport;
import dev.xmppscope.bench.report.Results;
import dev.xmppscope.bench.report.Table;
import dev.xmppscope.bench.report.TargetCheck;
import dev.xmppscope.testing.LoopbackBlock;
import dev.xmppscope.testing.ProsodyConfig;
import dev.xmppscope.testing.ProsodyServer;
import dev.xmppscope.testing.Requirements;
import dev.xmppscope.testing.XmppClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;

/**
 * Comparison 6: messages/s between real Smack clients through a real Prosody (Debian), with the
 * clients connecting directly, through haproxy (a plain TCP relay: what any proxy costs on this
 * machine) and through xmppscope (recording and analyzing live).
 */
public final class RealServerMessaging implements Comparison {
    static final String NAME = "realserver";
    private static final String RATE = "messages/s";
    private static final String CPU_PER_1K = "relay CPU ms per 1,000 messages";
    private static final String CPU_PER_1K_DURING = "of which during the exchange";
    /** Prosody's own CPU per 1,000 messages: what a relay's work on the same cores does to the server's. */
    private static final String SERVER_CPU_PER_1K = "Prosody CPU ms per 1,000 messages";
    /**
     * Rounds each relay serves before it is measured. A JVM relay compiles its hot paths for the
     * first minutes: xmppscope's CPU per 1,000 messages over thirteen rounds on 2026-12-02 was 348,
     * 170, 142, 91, 60, 64, 43, 40, 64, 34, 39, 39, 31 ms, settling after about eight. A proxy in
     * service runs for hours, so the table shows it warm; the warm-up rounds are in the run's log.
     */
    private static final int WARM_UP_ROUNDS = 8;
    /**
     * Measured rounds per {@code --rounds}: one exchange lasts 4-5 s, and on a shared machine
     * direct's own rate moved by 30% between runs (8,200 to 10,800 messages/s on 2026-12-02).
     */
    private static final int ROUNDS_FACTOR = 2;
    private static final String DOMAIN = "a.example";

    private final List<Contender> contenders;
    private int pairs;
    private int perPair;

    public RealServerMessaging(List<Contender> contenders) {
        this.contenders = contenders;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "6. Real server: Smack clients through Prosody";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        Requirements.require("prosody");
        pairs = ctx.quick() ? 2 : 4;
        perPair = ctx.quick() ? 300 : 10_000; // a run of several seconds: 3,000 (under 2 s) swung by 30% between rounds
        LoopbackBlock block = LoopbackBlock.random();
        ProsodyServer server = ProsodyServer.prepare(ctx.workDir().resolve("prosody"),
                new ProsodyConfig(DOMAIN, block.address(LoopbackBlock.FIRST_SERVER_HOST)).logLevel("info"));
        try (server) {
            for (int i = 0; i < pairs; i++) {
                server.register("alice" + i, "secret");
                server.register("bob" + i, "secret");
            }
            server.start();
            try (StartedRelays relays = StartedRelays.start(ctx, NAME, contenders, server.c2s())) {
                int warmUp = ctx.quick() ? 0 : WARM_UP_ROUNDS;
                int rounds = ctx.rounds() * ROUNDS_FACTOR + warmUp;
                for (int round = 1; round <= rounds; round++) {
                    for (Contender c : BenchContext.alternate(contenders, round)) {
                        Relay relay = relays.get(c);
                        if (relay == null) {
                            continue;
                        }
                        try {
                            Exchange x = exchange(relay, server, round + "-" + c.name());
                            StartedRelays.awaitQuiet(relay); // xmppscope's live analysis catching up is part of the cost
                            OptionalLong idle = relay.cpuNanos();
                            Map<String, Double> values = new HashMap<>(Map.of(RATE, x.rate()));
                            double perK = 1e3 / (pairs * perPair) / 1e6;
                            CpuMark first = x.firstSend();
                            CpuMark last = x.lastArrival();
                            if (first.server().isPresent() && last.server().isPresent()) {
                                values.put(SERVER_CPU_PER_1K, (last.server().getAsLong() - first.server().getAsLong()) * perK);
                            }
                            if (first.relay().isPresent() && last.relay().isPresent() && idle.isPresent()) {
                                values.put(CPU_PER_1K, (idle.getAsLong() - first.relay().getAsLong()) * perK);
                                values.put(CPU_PER_1K_DURING, (last.relay().getAsLong() - first.relay().getAsLong()) * perK);
                            }
                            if (round <= warmUp) {
                                BenchContext.log("  %s warm-up %d: %s", c.name(), round, values);
                            } else {
                                ctx.record(NAME, scenario(), c.name(), round - warmUp, values);
                            }
                        } catch (Exception | AssertionError e) {
                            ctx.results().failed(NAME + " " + c.name() + ": " + e.getMessage());
                            BenchContext.log("  %s %s FAILED: %s\n%s", NAME, c.name(), e, server.logTail(20));
                        }
                    }
                }
            }
        }
    }

    /** CPU time of the relay's processes and of the server at one moment (empty where /proc cannot tell). */
    private record CpuMark(OptionalLong relay, OptionalLong server) {
        static CpuMark of(Relay relay, ProsodyServer server) {
            return new CpuMark(relay.cpuNanos(), CpuTime.of(server.pid()));
        }
    }

    /** One round's messages/s, and the CPU marks at the first send and once the last message arrived. */
    private record Exchange(double rate, CpuMark firstSend, CpuMark lastArrival) {
    }

    /**
     * Every alice sends {@code perPair} messages to her bob at once; messages/s until the last
     * arrives. The clients log in before the first mark: logins are per connection, not per message.
     */
    private Exchange exchange(Relay relay, ProsodyServer server, String tag) throws InterruptedException {
        List<XmppClient> clients = new ArrayList<>();
        try {
            List<XmppClient> alices = new ArrayList<>();
            List<XmppClient> bobs = new ArrayList<>();
            CountDownLatch all = new CountDownLatch(pairs * perPair);
            AtomicLong lastArrival = new AtomicLong();
            String prefix = "bench " + tag + " ";
            for (int i = 0; i < pairs; i++) {
                XmppClient bob = XmppClient.options(DOMAIN, relay.address()).plaintext().login("bob" + i, "secret");
                clients.add(bob);
                bobs.add(bob);
                bob.connection().addSyncStanzaListener(s -> {
                    String body = ((Message) s).getBody();
                    if (body != null && body.startsWith(prefix)) {
                        lastArrival.set(System.nanoTime());
                        all.countDown();
                    }
                }, MessageTypeFilter.CHAT);
                XmppClient alice = XmppClient.options(DOMAIN, relay.address()).plaintext().login("alice" + i, "secret");
                clients.add(alice);
                alices.add(alice);
            }
            CpuMark firstSend = CpuMark.of(relay, server);
            long start = System.nanoTime();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                XmppClient alice = alices.get(i);
                String to = bobs.get(i).jid().toString();
                Thread t = new Thread(() -> {
                    for (int n = 0; n < perPair; n++) {
                        alice.send(to, prefix + n + " the meeting moved to three, bring the slides");
                    }
                }, "bench-alice-" + i);
                t.start();
                senders.add(t);
            }
            for (Thread t : senders) {
                t.join(120_000);
            }
            if (!all.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(all.getCount() + " of " + pairs * perPair + " messages did not arrive in 120 s");
            }
            CpuMark done = CpuMark.of(relay, server);
            return new Exchange(pairs * perPair / ((lastArrival.get() - start) / 1e9), firstSend, done);
        } finally {
            clients.forEach(XmppClient::close);
        }
    }

    /**
     * The share of direct's messages/s a contender loses, paired by round: the median over rounds
     * of 1 − rate ÷ direct's rate in the same round (contenders alternate within a round, so a
     * machine that gets busier or quieter over the minutes of a run moves both sides of a pair).
     */
    private static OptionalDouble cost(Results r, String scenario, String contender) {
        return Results.median(pairedCosts(r, scenario, contender));
    }

    /** Each round's 1 − rate ÷ direct's rate in that round, sorted. */
    private static double[] pairedCosts(Results r, String scenario, String contender) {
        Map<Integer, Double> direct = rates(r, scenario, "direct");
        return rates(r, scenario, contender).entrySet().stream().filter(e -> direct.containsKey(e.getKey()))
                .mapToDouble(e -> 1 - e.getValue() / direct.get(e.getKey())).sorted().toArray();
    }

    /** The lowest and highest cost of single rounds: how far one round can be trusted here. */
    private static String costRange(Results r, String scenario, String contender) {
        double[] costs = pairedCosts(r, scenario, contender);
        return costs.length == 0 ? "n/a" : Table.percent(costs[0]) + " … " + Table.percent(costs[costs.length - 1]);
    }

    private static Map<Integer, Double> rates(Results r, String scenario, String contender) {
        Map<Integer, Double> byRound = new HashMap<>();
        r.of(NAME).stream().filter(m -> m.scenario().equals(scenario) && m.contender().equals(contender)
                && m.metrics().get(RATE) != null).forEach(m -> byRound.put(m.round(), m.metrics().get(RATE)));
        return byRound;
    }

    private static OptionalDouble complement(OptionalDouble cost) {
        return cost.isPresent() ? OptionalDouble.of(1 - cost.getAsDouble()) : cost;
    }

    private static String percent(OptionalDouble v) {
        return v.isPresent() ? Table.percent(v.getAsDouble()) : "n/a";
    }

    private String scenario() {
        return pairs + " pairs × " + perPair + " messages";
    }

    @Override
    public ComparisonReport report(Results r) {
        Table t = new Table(List.of("contender", RATE, "vs direct", "cost", "cost in single rounds", CPU_PER_1K,
                CPU_PER_1K_DURING, SERVER_CPU_PER_1K, "rounds"));
        String s = r.scenarios(NAME).stream().findFirst().orElse(scenario());
        for (String c : r.contenders(NAME)) {
            OptionalDouble v = r.median(NAME, s, c, RATE);
            t.row(List.of(c, Table.num(v.orElse(Double.NaN)), percent(complement(cost(r, s, c))), percent(cost(r, s, c)),
                    costRange(r, s, c),
                    Table.num(r.median(NAME, s, c, CPU_PER_1K).orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, CPU_PER_1K_DURING).orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, SERVER_CPU_PER_1K).orElse(Double.NaN)),
                    String.valueOf(r.rounds(NAME, s, c))));
        }
        List<TargetCheck> targets = new ArrayList<>();
        String target = "through xmppscope, messages/s ≥ 95% of direct (≤ 5% cost)";
        OptionalDouble x = cost(r, s, "xmppscope");
        if (x.isPresent()) {
            double cost = x.getAsDouble();
            List<String> others = new ArrayList<>();
            for (String other : List.of(Xmppscope.IN_PROCESS, Xmppscope.RECORDING_ONLY, Xmppscope.RELAY_ONLY, "haproxy")) {
                OptionalDouble v = cost(r, s, other);
                if (v.isPresent()) {
                    others.add(other.replaceFirst("^xmppscope \\((.*)\\)$", "$1") + ": " + percent(v));
                }
            }
            String compared = others.isEmpty() ? "" : " (" + String.join("; ", others) + ")";
            targets.add(TargetCheck.of(target, Table.percent(cost) + " cost" + compared, cost <= 0.05));
        } else {
            targets.add(TargetCheck.notMeasured(target, "xmppscope or direct not measured"));
        }
        return new ComparisonReport(NAME, title(), t, targets, """
                One real Prosody 0.12 (Debian, plain process on a random loopback address, plaintext c2s, \
                internal_plain auth, logging at info level as in service: at debug level its log was its \
                biggest cost and grew by 140 MB per run). %d Smack 4.4.8 alice/bob pairs log in (directly, \
                through haproxy in `mode tcp`, or through xmppscope, on the c2s port); each alice sends %,d \
                chat messages to her bob's full JID from her own thread as fast as Smack writes them; \
                messages/s = all messages ÷ (first send → last arrival); cost = the median over rounds of \
                1 − messages/s ÷ direct's in the same round (paired, so a machine that gets busier or quieter \
                during the run moves both sides of each pair), over %d measured rounds, and "vs direct" = 1 − cost; "cost in single rounds" \
                is the lowest and highest of those pairs: on a shared machine direct's own rate moves by \
                tens of percent from round to round, and a single round says little. \
                haproxy's cost is what a plain relay that neither records nor analyzes takes from the same \
                two cores. "xmppscope" analyzes live in its worker JVM at idle priority, as `xmppscope proxy` \
                does by default; "xmppscope (analysis in-process)" analyzes in the relay's JVM \
                (`--analysis in-process`: its threads at idle priority, but the JVM's compiler and collector \
                working for it at normal priority); "xmppscope (recording only)" is the same relay and \
                recorder without the live analysis; "xmppscope (relay only, nothing stored)" is the same relay \
                with its tap's records dropped: what relaying in the JVM costs before anything is recorded. Servers, clients and relay share two cores, so every CPU-millisecond the relay \
                spends is taken from Prosody and Smack: "relay CPU ms per 1,000 messages" is the relay \
                process's CPU time (/proc, with its worker) from the first send, after the clients logged in \
                (logins are per connection; until 2026-12-02 they were counted too), until it is idle again \
                (for xmppscope, after its live analysis caught up and the clients logged out), "during the \
                exchange" until the last message arrived; it moves \
                far less between rounds than messages/s. "Prosody CPU ms per 1,000 messages" is the server's own CPU \
                time from the first send to the last arrival: where it rises above direct's, the relay's work on the same cores slowed \
                the server's (shared caches, or a host that backs both virtual cores with one physical core), \
                even when that work ran at idle priority. Each contender's relay is started once and serves \
                every round, as a proxy in front of a server stays up: the first %d rounds warm it and are \
                dropped (a JVM relay compiles its hot paths for the first minutes: xmppscope's CPU per 1,000 \
                messages fell from about 350 ms in its first round to 30-40 ms after eight, and its cost in \
                those first rounds was about 20-25%%; their figures are in the run's log); after each exchange the \
                next waits until the relay's process is idle; contenders alternate."""
                .formatted(pairs, perPair, r.rounds(NAME, s, "direct"), WARM_UP_ROUNDS));
    }
}
