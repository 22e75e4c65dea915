package dev.berth.snapshot;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Creates files with their final permission bits so that the usual entry (0644, 0755 under umask 022)
 * needs no chmod afterwards; {@link #needsChmod} says when the umask or the setuid, setgid and sticky
 * bits, which creation cannot set, still call for one.
 */
final class CreationModes {

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private final FileAttribute<?>[] attributes = new FileAttribute<?>[01000];
    /** -1 when the umask is unknown: then every entry is chmod'ed. */
    private final int umask;

    CreationModes(OptionalInt umask) {
        this.umask = umask.orElse(-1);
        for (int mode = 0; mode < attributes.length; mode++) {
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            for (int bit = 0; bit < BITS.length; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    permissions.add(BITS[bit]);
                }
            }
            attributes[mode] = PosixFilePermissions.asFileAttribute(permissions);
        }
    }

    /** The attribute that creates a file with {@code mode}'s nine permission bits (less the umask). */
    FileAttribute<?> attribute(int mode) {
        return attributes[mode & 0777];
    }

    /** Whether a file just created with {@link #attribute}{@code (mode)} still needs a chmod to get {@code mode}. */
    boolean needsChmod(int mode) {
        return umask < 0 || (mode & 07000) != 0 || (mode & umask) != 0;
    }
}
