package dev.xmppscope.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Real-peer tests call this first. A missing binary makes the test FAIL (never skip) with a
 * message telling the user how to get it; a test that silently skips proves nothing.
 */
public final class Requirements {
    private static final String HINT = "run .ci/install-deps (installs Prosody, dnsmasq, slixmpp, chromium... from Debian)";

    private Requirements() {
    }

    /** Fails unless every named program is on the PATH (or in /usr/sbin, where dnsmasq lives). */
    public static void require(String... programs) {
        List<String> missing = new ArrayList<>();
        for (String program : programs) {
            if (find(program).isEmpty()) {
                missing.add(program);
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("missing " + String.join(", ", missing) + ": " + HINT);
        }
    }

    /** Fails unless Debian's /usr/bin/python3 can import the named module (e.g. "slixmpp"). */
    public static void requirePythonModule(String module) {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            throw new AssertionError("missing /usr/bin/python3: " + HINT);
        }
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import " + module)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("/usr/bin/python3 cannot import " + module + " (" + out.strip() + "): " + HINT);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot run /usr/bin/python3: " + e.getMessage() + ": " + HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while checking for python module " + module, e);
        }
    }

    /** The absolute path of a program, searching PATH and the sbin directories. */
    public static Optional<Path> find(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Like {@link #find} but fails the test when the program is missing. */
    public static Path path(String program) {
        require(program);
        return find(program).orElseThrow();
    }
}
