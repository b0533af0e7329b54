package dev.xmppscope.capture.file;

import java.util.Map;

/**
 * The first line of an {@code .xscap} file.
 *
 * @param version   the format version it was written with
 * @param createdAt when it was written (ISO-8601), as the writer said
 * @param generator what wrote it
 * @param meta      free-form description (title, source, what it teaches...)
 */
public record XscapHeader(int version, String createdAt, String generator, Map<String, String> meta) {
}
