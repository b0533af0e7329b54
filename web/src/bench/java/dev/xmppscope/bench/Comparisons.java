package dev.xmppscope.bench;

import dev.xmppscope.bench.compare.AddedLatency;
import dev.xmppscope.bench.compare.IdleStreams;
import dev.xmppscope.bench.compare.PcapAnalysis;
import dev.xmppscope.bench.compare.RelayThroughput;
import dev.xmppscope.bench.compare.StoreAnalysis;
import dev.xmppscope.bench.relay.Contender;
import dev.xmppscope.bench.relay.Haproxy;
import dev.xmppscope.bench.relay.Socat;
import java.util.List;

/** Issue 6's comparisons in the order a run performs them, with their contenders. */
final class Comparisons {
    static final List<String> NAMES = List.of("throughput", "latency", "idle", "analysis", "pcap");

    private Comparisons() {
    }

    static List<Comparison> all() {
        Contender haproxy = new Haproxy();
        return List.of(
                new RelayThroughput(List.of(Contender.DIRECT, haproxy, new Socat())),
                new AddedLatency(List.of(Contender.DIRECT, haproxy)),
                new IdleStreams(List.of(haproxy)),
                StoreAnalysis.withXmppscope(null),
                new PcapAnalysis(null));
    }
}
