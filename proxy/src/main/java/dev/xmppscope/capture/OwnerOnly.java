package dev.xmppscope.capture;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates what a capture is kept in readable by its owner only, as the CA's key is: a capture holds
 * whole conversations, decrypted when intercepted, and the umask would leave them to every user of
 * the machine. What exists already keeps the permissions its owner gave it. On a file system
 * without POSIX permissions nothing is set, and files are created as they were before.
 */
final class OwnerOnly {
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private OwnerOnly() {
    }

    /** Creates {@code file} empty, unless it exists (H2 and the payload log take an empty file as a new one). */
    static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, FILE);
        } catch (FileAlreadyExistsException e) {
            // kept as it is
        } catch (UnsupportedOperationException e) {
            Files.newByteChannel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
        }
    }

    /** Creates {@code dir} and the directories above it that do not exist yet. */
    static void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir, DIRECTORY);
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }
}
