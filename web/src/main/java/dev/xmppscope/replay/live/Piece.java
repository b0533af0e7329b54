package dev.xmppscope.replay.live;

import dev.xmppscope.capture.Direction;

/**
 * One top-level piece of a c2s stream: a stream header, an element or the closing tag.
 *
 * @param direction who sent it
 * @param tls       true when it travelled inside TLS
 * @param xml       its text, exactly as sent
 * @param at        when it was seen, epoch nanoseconds
 */
record Piece(Direction direction, boolean tls, String xml, long at) {

    /** The element name as written ({@code iq}, {@code stream:stream}, {@code auth}, ...). */
    String name() {
        int i = 1;
        while (i < xml.length() && xml.charAt(i) == '/') {
            i++;
        }
        int end = i;
        while (end < xml.length() && " \t\r\n/>".indexOf(xml.charAt(end)) < 0) {
            end++;
        }
        return (xml.startsWith("</") ? "/" : "") + xml.substring(i, end);
    }

    boolean isHeader() {
        return name().equals("stream:stream") || name().equals("stream");
    }

    boolean isClose() {
        return name().startsWith("/");
    }

    /** The value of an attribute of the start tag, or null. */
    String attribute(String attr) {
        int end = xml.indexOf('>');
        String start = end < 0 ? xml : xml.substring(0, end);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s" + java.util.regex.Pattern.quote(attr)
                + "\\s*=\\s*(['\"])(.*?)\\1").matcher(start);
        return m.find() ? m.group(2) : null;
    }
}
