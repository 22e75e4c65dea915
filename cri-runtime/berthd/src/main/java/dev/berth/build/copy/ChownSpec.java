package dev.berth.build.copy;

import dev.berth.oci.RootfsPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * {@code --chown=user[:group]} as docker reads it: numbers as they are, names looked up in the destination's own
 * /etc/passwd and /etc/group; a user without a group takes the user's primary group (its own number when numeric).
 */
public final class ChownSpec {

    private ChownSpec() {}

    public static FileCopier.Owner resolve(String spec, RootfsPath rootfs) throws IOException {
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? "" : spec.substring(colon + 1);
        int uid;
        int primaryGid;
        OptionalInt numeric = number(user);
        if (numeric.isPresent()) {
            uid = numeric.getAsInt();
            primaryGid = uid;
        } else {
            String[] entry = find(rootfs, "/etc/passwd", user);
            if (entry == null || entry.length < 4) {
                throw new IOException("unable to find user " + user + ": no matching entries in passwd file");
            }
            uid = Integer.parseInt(entry[2]);
            primaryGid = Integer.parseInt(entry[3]);
        }
        int gid = primaryGid;
        if (!group.isEmpty()) {
            OptionalInt numericGroup = number(group);
            if (numericGroup.isPresent()) {
                gid = numericGroup.getAsInt();
            } else {
                String[] entry = find(rootfs, "/etc/group", group);
                if (entry == null || entry.length < 3) {
                    throw new IOException("unable to find group " + group + ": no matching entries in group file");
                }
                gid = Integer.parseInt(entry[2]);
            }
        }
        return new FileCopier.Owner(false, uid, gid);
    }

    private static OptionalInt number(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() < 10) {
            return OptionalInt.of(Integer.parseInt(text));
        }
        return OptionalInt.empty();
    }

    private static String[] find(RootfsPath rootfs, String file, String name) throws IOException {
        Path path = rootfs.resolve(file);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.size(path) > (4 << 20)) {
            return null;
        }
        for (String line : Files.readAllLines(path)) {
            String[] fields = line.split(":", -1);
            if (fields.length > 2 && fields[0].equals(name)) {
                return fields;
            }
        }
        return null;
    }
}
