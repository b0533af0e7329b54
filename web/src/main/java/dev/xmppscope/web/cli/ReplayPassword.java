package dev.xmppscope.web.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where {@code xmppscope replay} gets the password to log in with. A password on the command
 * line is visible to every user of the machine (in {@code ps}) and stays in the shell's history,
 * so it also comes from a file, from {@value #ENV}, or from a prompt on the terminal; exactly one
 * source, so a forgotten variable never silently wins over what the user typed.
 */
final class ReplayPassword {
    static final String ENV = "XMPPSCOPE_PASSWORD";

    private ReplayPassword() {
    }

    /**
     * The password from {@code --password}, {@code --password-file} or {@value #ENV}, else read
     * from {@code console} (null when there is no terminal, as in a script).
     */
    static String resolve(String option, Path file, Map<String, String> env, Supplier<Console> console) {
        String fromEnv = env.get(ENV);
        Map<String, Supplier<String>> given = new LinkedHashMap<>(); // each source by the name the user knows it by
        if (option != null) {
            given.put("--password", () -> option);
        }
        if (file != null) {
            given.put("--password-file", () -> fromFile(file));
        }
        if (fromEnv != null) {
            given.put(ENV, () -> fromEnv);
        }
        if (given.size() > 1) {
            throw new IllegalArgumentException("the password is given twice (" + String.join(" and ", given.keySet())
                    + "): give it once");
        }
        return given.isEmpty() ? prompt(console.get()) : given.values().iterator().next().get();
    }

    private static String prompt(Console c) {
        if (c == null) {
            throw new IllegalArgumentException("no password: give --password-file FILE, set " + ENV
                    + ", or run replay on a terminal to be asked for it");
        }
        char[] typed = c.readPassword("password for the replay's login: ");
        if (typed == null) {
            throw new IllegalArgumentException("no password: the terminal's input ended");
        }
        return new String(typed);
    }

    /** The file's first line, without its line end (a file written by {@code echo} ends in one). */
    private static String fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--password-file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --password-file " + file + ": " + e.getMessage(), e);
        }
        String line = text.lines().findFirst().orElse("");
        if (line.isEmpty()) {
            throw new IllegalArgumentException("--password-file " + file + " is empty: its first line is the password");
        }
        return line;
    }
}
