package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.route.IqLedger;
import dev.xmppscope.analyzer.route.IqPairing;
import java.util.Optional;
import org.h2.mvstore.MVMap;

/** The IQ ledger in the analysis file, under each IQ's row key. Written from the ingest thread, read from any. */
final class StoredIqs implements IqLedger {
    /** Named by the index's schema version, as every analysis map is. */
    static final String IQS = "xs.iqs.v" + StanzaIndex.SCHEMA_VERSION;

    private final MVMap<Long, byte[]> iqs;
    private final RecordBytes.Writer buffer = new RecordBytes.Writer();

    StoredIqs(MVMap<Long, byte[]> iqs) {
        this.iqs = iqs;
    }

    @Override
    public void put(String ref, IqPairing.IqInfo info) {
        long pk = StanzaIndex.rowKey(ref);
        if (pk < 0) {
            return;
        }
        buffer.reset();
        buffer.string(info.partner());
        buffer.optionalLong(info.rttNanos());
        buffer.varLong(info.request() ? 1 : 0);
        buffer.varLong(info.at());
        buffer.varLong(info.connection());
        iqs.put(pk, buffer.toArray());
    }

    @Override
    public Optional<IqPairing.IqInfo> get(String ref) {
        long pk = StanzaIndex.rowKey(ref);
        byte[] b = pk < 0 ? null : iqs.get(pk);
        if (b == null) {
            return Optional.empty();
        }
        RecordBytes.Reader r = new RecordBytes.Reader(b);
        return Optional.of(new IqPairing.IqInfo(r.string(), r.optionalLong(), r.varLong() == 1, r.varLong(), r.varLong()));
    }
}
