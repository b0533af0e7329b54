package dev.xmppscope.capture.pcap;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The real tshark and dumpcap, as independent oracles; a test fails (never skips) without them. */
public final class Tshark {
    /** Top-level elements as tshark names them (features nest inside the stream header, so they are left out). */
    private static final java.util.Set<String> ELEMENTS = java.util.Set.of("xmpp.stream", "xmpp.stream_end", "xmpp.starttls",
            "xmpp.proceed", "xmpp.message", "xmpp.iq", "xmpp.presence", "xmpp.auth", "xmpp.success", "xmpp.challenge",
            "xmpp.response", "xmpp.failure");

    private Tshark() {
    }

    static void requireInstalled(String tool) {
        if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
            fail(tool + " is not installed: run .ci/install-deps (it installs the tshark package)");
        }
    }

    /**
     * The XMPP top-level elements tshark decodes in {@code file}, one line each:
     * {@code "<toServer|toClient> <element> <id attribute or ->"}, in frame order.
     */
    static List<String> xmppElements(Path file) throws Exception {
        requireInstalled("tshark");
        Process p = new ProcessBuilder("/usr/bin/tshark", "-r", file.toString(), "-d", "tcp.port==5269,xmpp", "-Y", "xmpp",
                "-T", "pdml").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] pdml = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("tshark could not read " + file + " (exit " + p.exitValue() + ")");
        }
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(pdml));
        List<String> out = new ArrayList<>();
        for (Node packet = doc.getDocumentElement().getFirstChild(); packet != null; packet = packet.getNextSibling()) {
            if (!(packet instanceof Element pe)) {
                continue;
            }
            String direction = null;
            for (Node proto = pe.getFirstChild(); proto != null; proto = proto.getNextSibling()) {
                if (!(proto instanceof Element pr)) {
                    continue;
                }
                if ("tcp".equals(pr.getAttribute("name"))) {
                    int dst = Integer.parseInt(field(pr, "tcp.dstport"));
                    direction = dst == 5222 || dst == 5269 ? "toServer" : "toClient";
                }
                if ("xmpp".equals(pr.getAttribute("name"))) {
                    for (Node el = pr.getFirstChild(); el != null; el = el.getNextSibling()) {
                        if (el instanceof Element e && ELEMENTS.contains(e.getAttribute("name"))) {
                            String id = childField(e, "xmpp.id");
                            out.add(direction + " " + e.getAttribute("name").substring(5) + " " + (id == null ? "-" : id));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The source port of the first FIN in the TCP conversation that has {@code port} on one end. */
    static int firstFinSourcePort(Path file, int port) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/tshark", "-r", file.toString(), "-Y",
                "tcp.flags.fin == 1 && tcp.port == " + port, "-T", "fields", "-e", "tcp.srcport")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || out.isEmpty()) {
            fail("tshark found no FIN on port " + port + " in " + file);
        }
        return Integer.parseInt(out.lines().findFirst().orElseThrow().trim());
    }

    private static String field(Element proto, String name) {
        for (Node n = proto.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getAttribute("name"))) {
                return e.getAttribute("show");
            }
        }
        throw new IllegalStateException("no " + name);
    }

    private static String childField(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getAttribute("name"))) {
                return e.getAttribute("show");
            }
        }
        return null;
    }

    /** What tshark prints reading {@code file} with {@code args} (a display filter, fields, {@code -w} a cut of it). */
    public static String read(Path file, String... args) throws Exception {
        requireInstalled("tshark");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/tshark", "-r", file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("tshark " + String.join(" ", args) + " failed");
        }
        return out;
    }

    /**
     * The first frame of TCP stream {@code stream} in which the client sends (to {@code serverPort})
     * a TLS application data record: its handshake is over, what follows is ciphertext alone.
     */
    public static String firstApplicationData(Path file, String stream, int serverPort) throws Exception {
        return read(file, "-Y", "tcp.stream == " + stream + " && tcp.dstport == " + serverPort + " && tcp.len > 0", "-T", "fields",
                "-e", "frame.number", "-e", "tcp.payload").lines().map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length == 2 && f[1].replace(":", "").startsWith("1703")).map(f -> f[0]).findFirst()
                .orElseThrow(() -> new AssertionError("TCP stream " + stream + " never carried TLS application data"));
    }

    /** Starts dumpcap on loopback with a capture filter; stop it with {@link Capture#stop()}. */
    /** A capture filter for the TCP traffic of the server listening at {@code server}. */
    public static String trafficOf(InetSocketAddress server) {
        return "tcp and host " + server.getAddress().getHostAddress() + " and port " + server.getPort();
    }

    public static Capture capture(String filter, Path out, boolean classicPcap) throws IOException, InterruptedException {
        return capture(filter, out, classicPcap, 0);
    }

    /** The same, saving at most {@code snapLength} bytes of each frame (0: all of it). */
    public static Capture capture(String filter, Path out, boolean classicPcap, int snapLength)
            throws IOException, InterruptedException {
        requireInstalled("dumpcap");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/dumpcap", "-q", "-i", "lo", "-f", filter, "-w", out.toString()));
        if (classicPcap) {
            cmd.add("-P");
        }
        if (snapLength > 0) {
            cmd.addAll(List.of("-s", Integer.toString(snapLength)));
        }
        Path log = Files.createTempFile("dumpcap", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log, StandardCharsets.UTF_8).contains("Capturing on")) {
                Thread.sleep(300); // dumpcap says so just before the filter is live
                return new Capture(p, log);
            }
            if (!p.isAlive()) {
                fail("dumpcap failed: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        p.destroy();
        fail("dumpcap did not start capturing within 10 s: " + Files.readString(log));
        return null;
    }

    public record Capture(Process process, Path log) {
        public void stop() throws InterruptedException, IOException {
            Thread.sleep(300); // let the last packets reach the file
            process.destroy(); // SIGTERM: dumpcap finishes the file
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("dumpcap did not stop: " + Files.readString(log));
            }
            Files.deleteIfExists(log); // it was left in /tmp by every capture
        }
    }
}
