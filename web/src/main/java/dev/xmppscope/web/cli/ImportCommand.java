package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.file.CaptureFileException;
import dev.xmppscope.capture.file.CaptureFileFormat;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ImportResult;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.proxy.SecretMasking;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code xmppscope import}: capture files merged into a capture database. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {
                "Merges capture files into a capture database (created if missing).",
                "",
                "Each file's connections get fresh ids after the ones already there, so any number of files can go into one database. The pcap and pcapng files of one import are read as one capture, in the order of their first packets: the files of a ring buffer (dumpcap -b, tcpdump -C or -G) keep a connection that runs across them whole. Reads .xscap files (from 'xmppscope export') and pcap/pcapng files of plaintext XMPP (tcpdump, dumpcap, Wireshark; gzip-compressed too, .pcap.gz): TCP is reassembled per connection, both directions, with out-of-order and retransmitted segments handled; whoever sent the SYN is the client; TCP connections that carry no XMPP are left out, and named. Passwords in a pcap (SASL PLAIN and token mechanisms, legacy-auth and registration passwords, room passwords, private form fields) are masked in the database as the proxy masks what it records, unless --keep-secrets; the file itself is left as it is. A truncated or damaged file is imported up to the damage, and the error says where it is.",
                ""
        },
        footer = {
                "",
                "Examples:",
                "  # a tcpdump of port 5222, then look at it",
                "  xmppscope import --db ~/captures/lab tcpdump-5222.pcapng",
                "  xmppscope open ~/captures/lab",
                "",
                "  # two sessions into one database",
                "  xmppscope import --db ~/captures/week monday.xscap tuesday.xscap"
        })
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--db", required = true, paramLabel = "PATH", description = "the capture database to add to")
    Path db;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "capture files: .xscap, .pcap, .pcapng (or .pcap.gz, .pcapng.gz)")
    List<Path> files;

    @Option(names = "--keep-secrets", description = "store the passwords a pcap holds as they are, instead of masked")
    boolean keepSecrets;

    @Option(names = "--progress", description = "draw a progress bar on stderr even when it is not a terminal")
    boolean progress;

    @Override
    public Integer call() {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("no such file: " + f);
            }
            CaptureFileFormat.require(f); // before the database is created or anything is added to it
        }
        PrintWriter err = spec.commandLine().getErr();
        boolean newDatabase = !Files.exists(CaptureStore.dataFile(db));
        try {
            return importAll(err);
        } catch (CaptureStoreException e) {
            if (!newDatabase) {
                throw e;
            }
            // a database this run created holds only part of a file: removed, it cannot pass for the import
            boolean created = Files.exists(CaptureStore.dataFile(db)); // not when it could not even be made
            try {
                CaptureStore.delete(db);
            } catch (IOException again) {
                e.addSuppressed(again);
                throw e;
            }
            if (!created) {
                throw e;
            }
            throw new CaptureStoreException(e.getMessage() + "; " + CaptureStore.dataFile(db).getFileName()
                    + " was created by this import and is removed again", e);
        }
    }

    private int importAll(PrintWriter err) {
        int damaged = 0;
        // the pcaps given together are parts of one capture (a ring buffer's files): one import, so connections stay whole
        List<Path> pcaps = files.stream().filter(f -> CaptureFileFormat.sniff(f) != CaptureFileFormat.XSCAP).toList();
        try (CaptureStore store = CaptureStore.open(db)) {
            for (Path f : files) {
                boolean xscap = !pcaps.contains(f);
                if (!xscap && !f.equals(pcaps.get(0))) {
                    continue; // read with the first pcap
                }
                boolean parts = !xscap && pcaps.size() > 1;
                long before = store.nextConnectionId();
                ProgressBar bar = ProgressBar.onStderr("importing " + (parts ? pcaps.size() + " pcap files" : f.getFileName()),
                        parts ? pcaps.stream().mapToLong(ImportCommand::sizeOf).sum() : sizeOf(f), "bytes", progress);
                try {
                    var masking = SecretMasking.ofImport(f.getFileName().toString(), keepSecrets);
                    ImportResult r = parts ? CaptureFiles.importPcapParts(store, pcaps, bar, masking::masking)
                            : CaptureFiles.importInto(store, f, bar, masking::masking);
                    err.println("xmppscope: imported " + (parts ? r.file() + " (read as one capture, in the order of their first"
                            + " packets)" : f) + ": " + r.connections() + (r.connections() == 1 ? " connection" : " connections")
                            + ids(r.firstId(), r.connections()) + ", " + r.records() + " records");
                    if (r.leftOut() != null) {
                        err.println("xmppscope: " + r.leftOut());
                    }
                } catch (CaptureFileException e) {
                    damaged++;
                    long added = store.nextConnectionId() - before;
                    err.println("xmppscope: " + e.getMessage());
                    err.println("xmppscope: kept what came before the damage: " + e.recordsDelivered() + " records in "
                            + added + " connections" + ids(before, added));
                }
            }
        }
        return damaged == 0 ? 0 : 2;
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            return 0; // the bar then counts without a total; the import itself reports read errors
        }
    }

    private static String ids(long first, long count) {
        return count == 0 ? "" : count == 1 ? " (id " + first + ")" : " (ids " + first + "-" + (first + count - 1) + ")";
    }
}
