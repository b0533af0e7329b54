package dev.xmppscope.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.capture.Chunk;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the narration that ships with a sample ({@code NAME.notes.json}), a JSON array of
 * {@code {"at": MILLIS, "text": "..."}} (milliseconds from the start of the capture) or
 * {@code {"match": "REGEX", "text": "..."}} (the first chunk after the previous note whose XML
 * matches). Matches are resolved in file order, so a narration can follow a conversation step
 * by step without knowing its timestamps, and still holds when the sample is re-recorded.
 */
public final class Annotations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Annotations() {
    }

    public static List<Annotation> load(InputStream json, ReplayTimeline timeline, String name) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the notes " + name + " are not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("the notes " + name + " must be a JSON array of {\"at\"|\"match\", \"text\"}");
        }
        List<Annotation> out = new ArrayList<>();
        int searchFrom = 0;
        int n = 0;
        for (JsonNode note : root) {
            n++;
            String text = note.path("text").asText(null);
            if (text == null) {
                throw new IllegalArgumentException("note " + n + " in " + name + " has no \"text\"");
            }
            if (note.has("at")) {
                out.add(new Annotation(timeline.start() + note.get("at").asLong() * 1_000_000L, text));
            } else if (note.has("match")) {
                int found = find(timeline, pattern(note.get("match").asText(), n, name), searchFrom);
                if (found < 0) {
                    throw new IllegalArgumentException("note " + n + " in " + name + ": nothing after the previous note matches "
                            + note.get("match").asText());
                }
                out.add(new Annotation(timeline.get(found).at(), text));
                searchFrom = found + 1;
            } else {
                throw new IllegalArgumentException("note " + n + " in " + name + " needs \"at\" (milliseconds) or \"match\" (a regex)");
            }
        }
        out.sort(Comparator.comparingLong(Annotation::at));
        return out;
    }

    private static Pattern pattern(String regex, int n, String name) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("note " + n + " in " + name + ": bad regex: " + e.getMessage(), e);
        }
    }

    private static int find(ReplayTimeline timeline, Pattern p, int from) {
        for (int i = from; i < timeline.size(); i++) {
            if (timeline.get(i).record() instanceof Chunk c && c.layer().isXml()
                    && p.matcher(new String(c.bytes(), StandardCharsets.UTF_8)).find()) {
                return i;
            }
        }
        return -1;
    }
}
