package dev.xmppscope.capture.file;

/**
 * The {@code .xscap} capture file: gzip-compressed JSON Lines, one record per line, in the order
 * the capture happened. Documented for people in {@code samples/FORMAT.md}; this class holds the
 * names both the writer and the reader use.
 *
 * <pre>
 * {"type":"xmppscope-capture","version":1,"createdAt":"2026-11-24T22:00:00Z","generator":"xmppscope","meta":{...}}
 * {"type":"opened","id":1,"route":"...","listen":"...","client":"...","server":"...","tls":"intercept","at":NANOS}
 * {"type":"chunk","conn":1,"seq":1,"dir":"toServer","at":NANOS,"layer":"plain","offset":0,"length":5,"redacted":false,"data":"BASE64"}
 * {"type":"event","conn":1,"seq":2,"at":NANOS,"dir":"toClient","kind":"STARTTLS_PROCEED","detail":""}
 * {"type":"closed","id":1,"at":NANOS,"reason":"CLIENT_CLOSED","detail":"...","bytesToServer":1,"bytesToClient":2}
 * {"type":"end","records":4}
 * </pre>
 *
 * A reader ignores record types and fields it does not know (newer minor additions) and refuses
 * a higher {@link #VERSION}. The {@code end} record proves the file is complete.
 */
public final class XscapFormat {
    /** The {@code type} of the first line, which identifies the format. */
    public static final String MAGIC = "xmppscope-capture";
    /** Incompatible changes bump this; readers refuse versions above theirs. */
    public static final int VERSION = 1;
    public static final String EXTENSION = ".xscap";

    static final String OPENED = "opened";
    static final String CHUNK = "chunk";
    static final String EVENT = "event";
    static final String CLOSED = "closed";
    static final String END = "end";

    private XscapFormat() {
    }
}
