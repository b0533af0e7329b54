package dev.xmppscope.replay;

import dev.xmppscope.capture.file.XscapReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A sample capture shipped inside the application ({@code /samples/NAME.xscap} on the classpath,
 * from the samples module) with its narration ({@code /samples/NAME.notes.json}).
 */
public final class BundledSample {
    /** The samples every build carries, the demo's first. */
    public static final List<String> NAMES = List.of("federation", "negotiation", "failures");

    private final String name;
    private final Path file;

    private BundledSample(String name, Path file) {
        this.name = name;
        this.file = file;
    }

    /** Copies the sample out of the jar (the reader needs a file) into a temporary file. */
    public static BundledSample open(String name) {
        String resource = "/samples/" + name + ".xscap";
        try (InputStream in = BundledSample.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled sample named '" + name + "' (this build has "
                        + available() + ")");
            }
            Path tmp = Files.createTempFile("xmppscope-" + name, ".xscap");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return new BundledSample(name, tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled sample " + name + ": " + e.getMessage(), e);
        }
    }

    /** The bundled samples present in this build. */
    public static List<String> available() {
        return NAMES.stream().filter(n -> BundledSample.class.getResource("/samples/" + n + ".xscap") != null).toList();
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    public XscapReader reader() {
        return XscapReader.open(file);
    }

    /** The sample's narration placed on {@code timeline} (empty when it has none). */
    public List<Annotation> annotations(ReplayTimeline timeline) {
        String resource = "/samples/" + name + ".notes.json";
        try (InputStream in = BundledSample.class.getResourceAsStream(resource)) {
            return in == null ? List.of() : Annotations.load(in, timeline, name + ".notes.json");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }
}
