package dev.xmppscope.capture;

/**
 * Which way bytes flowed on a proxied connection. The "client" is whoever opened the TCP
 * connection: an XMPP client on a c2s link, the initiating server on an s2s link.
 */
public enum Direction {
    TO_SERVER("toServer", 0),
    TO_CLIENT("toClient", 1);

    private final String wireName;
    private final int code;

    Direction(String wireName, int code) {
        this.wireName = wireName;
        this.code = code;
    }

    /** The name used in JSON and capture files. */
    public String wireName() {
        return wireName;
    }

    /** The compact code stored in the database. */
    public int code() {
        return code;
    }

    public Direction reverse() {
        return this == TO_SERVER ? TO_CLIENT : TO_SERVER;
    }

    public static Direction ofCode(int code) {
        return code == 0 ? TO_SERVER : TO_CLIENT;
    }

    public static Direction ofWireName(String name) {
        for (Direction d : values()) {
            if (d.wireName.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction '" + name + "' (expected toServer or toClient)");
    }
}
