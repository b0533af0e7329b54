package dev.xmppscope.bench;

import dev.xmppscope.bench.compare.AddedLatency;
import dev.xmppscope.bench.compare.IdleStreams;
import dev.xmppscope.bench.compare.PcapAnalysis;
import dev.xmppscope.bench.compare.RealServerMessaging;
import dev.xmppscope.bench.compare.RelayThroughput;
import dev.xmppscope.bench.compare.StoreAnalysis;
import dev.xmppscope.bench.compare.WireToBrowserLatency;
import dev.xmppscope.bench.relay.Contender;
import dev.xmppscope.bench.relay.Haproxy;
import dev.xmppscope.bench.relay.Socat;
import dev.xmppscope.bench.relay.Xmppscope;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Issue 6's comparisons in the order a run performs them, with their contenders. */
final class Comparisons {
    static final List<String> NAMES = List.of("throughput", "latency", "idle", "analysis", "pcap", "realserver", "wire-to-browser");

    private Comparisons() {
    }

    static List<Comparison> all(Path workDir) {
        Contender haproxy = new Haproxy();
        Contender xmppscope = new Xmppscope();
        return List.of(
                new RelayThroughput(Stream.of(Contender.DIRECT, haproxy, new Socat(), xmppscope, Xmppscope.recordingOnly(),
                        Xmppscope.keepingSecrets(), Xmppscope.onTmpfs(), Xmppscope.relayOnly()).filter(Objects::nonNull).toList()),
                new AddedLatency(List.of(Contender.DIRECT, haproxy, xmppscope, Xmppscope.recordingOnly(), Xmppscope.relayOnly())),
                new IdleStreams(List.of(Xmppscope.withHeapCap(), haproxy)),
                StoreAnalysis.withXmppscope(),
                PcapAnalysis.withXmppscope(workDir),
                new RealServerMessaging(List.of(Contender.DIRECT, haproxy, xmppscope, Xmppscope.analysisInProcess(),
                        Xmppscope.recordingOnly(), Xmppscope.relayOnly())),
                new WireToBrowserLatency());
    }
}
