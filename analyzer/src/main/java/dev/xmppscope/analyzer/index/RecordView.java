package dev.xmppscope.analyzer.index;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * A stored record ({@link StanzaRecord}) read in place: where its fields are, none of them
 * decoded. A scan tests its filter on the bytes and decodes only the records that pass: decoding
 * every record (a dozen strings and two lists each) was half of the time of a query that matches
 * few of them. Reused for every record of one scan, by one thread.
 */
final class RecordView {
    private final RecordBytes.Reader in = new RecordBytes.Reader(null);
    private byte[] b;
    private long pk;
    private long at;
    // strings as RecordBytes.Reader.skip() places them
    private long kind;
    private long type;
    private long id;
    private long fromKey;
    private long toKey;
    private int namespacesAt;
    // the tail: read when asked
    private boolean tailRead;
    private int size;
    private long xmlAt;
    private long xmlCopy;

    /** Reads where {@code record}'s fields are, up to its namespaces: what a filter tests. */
    void read(byte[] record) {
        b = record;
        in.reset(record);
        pk = in.varLong();
        at = in.varLong();
        kind = in.skip();
        type = in.skip();
        long from = in.skip();
        long to = in.skip();
        id = in.skip();
        int same = (int) in.varLong();
        fromKey = (same & StanzaRecord.FROM_KEY_IS_FROM) != 0 ? from : in.skip();
        toKey = (same & StanzaRecord.TO_KEY_IS_TO) != 0 ? to : in.skip();
        namespacesAt = in.position();
        tailRead = false;
    }

    long pk() {
        return pk;
    }

    long at() {
        return at;
    }

    long connection() {
        return pk >>> 33;
    }

    boolean kindIs(byte[] utf8) {
        return is(kind, utf8);
    }

    boolean typeIs(byte[] utf8) {
        return is(type, utf8);
    }

    boolean idIs(byte[] utf8) {
        return is(id, utf8);
    }

    /** Whether either address, as compared (case-folded, see IndexedStanza), is {@code utf8}. */
    boolean eitherAddressIs(byte[] utf8) {
        return is(fromKey, utf8) || is(toKey, utf8);
    }

    /** Whether either address's bare part (before the resource) is {@code utf8}. */
    boolean eitherBareAddressIs(byte[] utf8) {
        return bareIs(fromKey, utf8) || bareIs(toKey, utf8);
    }

    /** Adds the record's addresses (full and bare), id, kind, type and namespaces to its block's summary. */
    void addTermsTo(BlockSummaries.Summary block) {
        addAddress(block, fromKey);
        addAddress(block, toKey);
        addTerm(block, BlockSummaries.ID, id);
        addTerm(block, BlockSummaries.KIND, kind);
        addTerm(block, BlockSummaries.TYPE, type);
        anyNamespace(number -> {
            block.addNamespace(number);
            return false;
        }, uri -> {
            block.addNamedNamespace();
            return false;
        });
    }

    private void addTerm(BlockSummaries.Summary block, byte tag, long field) {
        if (field != RecordBytes.ABSENT) {
            int start = RecordBytes.start(field);
            block.addTerm(BlockSummaries.hash(tag, b, start, start + RecordBytes.length(field)));
        }
    }

    private void addAddress(BlockSummaries.Summary block, long field) {
        if (field == RecordBytes.ABSENT) {
            return;
        }
        int start = RecordBytes.start(field);
        int end = start + RecordBytes.length(field);
        int bareEnd = start;
        while (bareEnd < end && b[bareEnd] != '/') {
            bareEnd++;
        }
        block.addTerm(BlockSummaries.hash(BlockSummaries.FULL_ADDRESS, b, start, end));
        block.addTerm(BlockSummaries.hash(BlockSummaries.BARE_ADDRESS, b, start, bareEnd));
    }

    /**
     * Whether any of the namespaces is one whose number passes {@code numbered}, or, filed by its
     * URI, {@code named}; each is asked in turn until one passes.
     */
    boolean anyNamespace(IntPredicate numbered, Predicate<String> named) {
        in.position(namespacesAt);
        for (long n = in.varLong(); n > 0; n--) {
            int number = (int) in.varLong();
            if (number == 0 ? named.test(in.string()) : numbered.test(number - 1)) {
                return true;
            }
        }
        return false;
    }

    /** The XML's size in bytes. */
    int size() {
        readTail();
        return size;
    }

    /** Where the XML is in the capture's payload file, or -1 when the record holds a copy. */
    long xmlAt() {
        readTail();
        return xmlAt;
    }

    /** The record's copy of the XML, or null. */
    byte[] xmlCopy() {
        readTail();
        return xmlCopy == RecordBytes.ABSENT ? null
                : Arrays.copyOfRange(b, RecordBytes.start(xmlCopy), RecordBytes.start(xmlCopy) + RecordBytes.length(xmlCopy));
    }

    private void readTail() {
        if (tailRead) {
            return;
        }
        in.position(namespacesAt);
        for (long n = in.varLong(); n > 0; n--) { // passed over, not asked about (a scan reads this for every record)
            if (in.varLong() == 0) {
                in.skip();
            }
        }
        in.skip(); // summary
        size = (int) in.varLong();
        in.varLong(); // offset
        in.varLong(); // layer
        in.skip(); // parse status
        in.skip(); // error
        in.varLong(); // route
        xmlAt = in.varLong() - 1;
        xmlCopy = xmlAt < 0 ? in.skip() : RecordBytes.ABSENT;
        tailRead = true;
    }

    private boolean is(long field, byte[] utf8) {
        if (field == RecordBytes.ABSENT || RecordBytes.length(field) != utf8.length) {
            return false;
        }
        int start = RecordBytes.start(field);
        return Arrays.equals(b, start, start + utf8.length, utf8, 0, utf8.length);
    }

    /**
     * Whether the part before the first '/' is {@code utf8}, which holds no '/' (a byte never
     * inside a UTF-8 sequence).
     */
    private boolean bareIs(long field, byte[] utf8) {
        if (field == RecordBytes.ABSENT || RecordBytes.length(field) < utf8.length) {
            return false;
        }
        int start = RecordBytes.start(field);
        int bareEnd = start + utf8.length;
        return (utf8.length == RecordBytes.length(field) || b[bareEnd] == '/')
                && Arrays.equals(b, start, bareEnd, utf8, 0, utf8.length);
    }
}
