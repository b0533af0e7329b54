package dev.xmppscope.web.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * A {@code --config FILE}: Java properties whose keys are the command's long option names
 * ({@code route}, {@code tls}, {@code db}, {@code web}, {@code keep-secrets}, ...). It becomes
 * command-line arguments placed before the real ones, so the real command line wins; keys that
 * start with {@code route} ({@code route.1}, {@code route.2}) each add a route.
 */
final class ConfigFile {

    private ConfigFile() {
    }

    static List<String> toArguments(Path file, List<String> knownOptions) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("there is no config file " + file.toAbsolutePath(), e);
        } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed unicode escape
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        List<String> args = new ArrayList<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            String name = key.startsWith("route") ? "route" : key;
            if (!knownOptions.contains("--" + name)) {
                throw new IllegalArgumentException("config file " + file + ": unknown setting '" + key
                        + "' (known: " + String.join(", ", knownOptions.stream().map(o -> o.substring(2)).toList()) + ")");
            }
            args.add("--" + name + "=" + p.getProperty(key).trim());
        }
        return args;
    }
}
