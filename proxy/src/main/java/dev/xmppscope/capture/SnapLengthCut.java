package dev.xmppscope.capture;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link EventKind#RECORDING_GAP} that a pcap's snap length made (the capturing tool saved only
 * the first bytes of each frame): how its detail says so, and how the analysis reads it back. A
 * small snap length cuts nearly every segment, and the analysis sums such cuts per stream instead
 * of saying each one.
 */
public final class SnapLengthCut {
    private static final String WHY = " (the capture's snap length cut the frames short: capture with -s 0, or tcpdump's default)";
    private static final Pattern MISSING = Pattern.compile("\\Athe pcap is missing (\\d{1,18}) bytes ");

    private SnapLengthCut() {
    }

    /** The detail of the gap before stream offset {@code offset} in direction {@code d}: {@code missing} bytes cut off. */
    public static String detail(long missing, Direction d, long offset) {
        return "the pcap is missing " + missing + " bytes " + d.wireName() + " at stream offset " + offset + WHY;
    }

    /** How many bytes the gap whose detail is {@code detail} lacks, if the snap length cut them; empty for any other gap. */
    public static OptionalLong missingBytes(String detail) {
        Matcher m = MISSING.matcher(detail);
        return detail.endsWith(WHY) && m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
