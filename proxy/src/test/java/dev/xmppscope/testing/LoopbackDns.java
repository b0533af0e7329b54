package dev.xmppscope.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dnsmasq on {@code <block>.53:53} that answers {@code *.example} from its own records and
 * NXDOMAIN for everything else under {@code example}, and forwards nothing anywhere: every DNS
 * lookup of a federation test stays on loopback (Prosody resolves s2s peers with libunbound,
 * which ignores /etc/hosts, see REAL-SERVERS.md).
 */
public final class LoopbackDns implements AutoCloseable {

    /** An SRV record, e.g. {@code _xmpp-server._tcp.b.example → relay.example:25269}. */
    public record SrvRecord(String service, String target, int port) {
    }

    private final java.net.InetAddress address;
    private final ManagedProcess process;

    private LoopbackDns(java.net.InetAddress address, ManagedProcess process) {
        this.address = address;
        this.process = process;
    }

    /** Starts the DNS with A records {@code name → address} and optional SRV records. */
    public static LoopbackDns start(Path dir, LoopbackBlock block, Map<String, String> hosts, List<SrvRecord> srv) {
        Path dnsmasq = Requirements.path("dnsmasq");
        java.net.InetAddress address = block.dnsAddress();
        Path pidFile = dir.resolve("dnsmasq.pid");
        List<String> cmd = new ArrayList<>(List.of(dnsmasq.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--no-poll", "--listen-address=" + address.getHostAddress(),
                "--bind-interfaces", "--port=53", "--local=/example/", "--pid-file=" + pidFile, "--log-queries",
                "--log-facility=-"));
        new LinkedHashMap<>(hosts).forEach((name, ip) -> cmd.add("--host-record=" + name + "," + ip));
        for (SrvRecord r : srv) {
            cmd.add("--srv-host=" + r.service() + "," + r.target() + "," + r.port() + ",0,0");
        }
        ManagedProcess p = ManagedProcess.start("dnsmasq", cmd, dir.resolve("dnsmasq.log"));
        java.net.InetSocketAddress tcp = new java.net.InetSocketAddress(address, 53);
        p.awaitReady("listening on " + address.getHostAddress() + ":53", Duration.ofSeconds(10),
                () -> Files.exists(pidFile) && ManagedProcess.canConnect(tcp),
                () -> "command: " + String.join(" ", cmd) + "\n" + p.outputTail(30));
        return new LoopbackDns(address, p);
    }

    public static LoopbackDns start(Path dir, LoopbackBlock block, Map<String, String> hosts) {
        return start(dir, block, hosts, List.of());
    }

    /** Where to point resolvers (Prosody's {@code unbound.forward}). */
    public java.net.InetAddress address() {
        return address;
    }

    /** What dnsmasq logged (queries included), for failure messages. */
    public String logTail(int lines) {
        return process.outputTail(lines);
    }

    @Override
    public void close() {
        process.close();
    }
}
