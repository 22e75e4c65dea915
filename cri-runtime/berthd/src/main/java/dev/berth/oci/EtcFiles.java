package dev.berth.oci;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The image's /etc/passwd and /etc/group, parsed leniently as libc does (bad lines are skipped, not fatal). */
record EtcFiles(List<PasswdEntry> users, List<GroupEntry> groups) {

    record PasswdEntry(String name, long uid, long gid) {}

    record GroupEntry(String name, long gid, List<String> members) {}

    static EtcFiles read(RootfsFiles rootfs) throws IOException {
        List<PasswdEntry> users = new ArrayList<>();
        for (String[] f : fields(rootfs.readSmallFile("/etc/passwd"))) {
            if (f.length >= 4) {
                Optional<Long> uid = NumericIds.parse(f[2]);
                Optional<Long> gid = NumericIds.parse(f[3]);
                if (uid.isPresent() && gid.isPresent()) {
                    users.add(new PasswdEntry(f[0], uid.get(), gid.get()));
                }
            }
        }
        List<GroupEntry> groups = new ArrayList<>();
        for (String[] f : fields(rootfs.readSmallFile("/etc/group"))) {
            if (f.length >= 3) {
                Optional<Long> gid = NumericIds.parse(f[2]);
                List<String> members = f.length >= 4 && !f[3].isBlank()
                        ? Arrays.stream(f[3].split(","))
                                .map(String::strip)
                                .filter(m -> !m.isEmpty())
                                .toList()
                        : List.of();
                gid.ifPresent(g -> groups.add(new GroupEntry(f[0], g, members)));
            }
        }
        return new EtcFiles(List.copyOf(users), List.copyOf(groups));
    }

    Optional<PasswdEntry> userByName(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    Optional<PasswdEntry> userById(long uid) {
        return users.stream().filter(u -> u.uid() == uid).findFirst();
    }

    Optional<GroupEntry> groupByName(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    List<Long> groupsListing(String userName) {
        return groups.stream()
                .filter(g -> g.members().contains(userName))
                .map(GroupEntry::gid)
                .toList();
    }

    private static List<String[]> fields(Optional<String> text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return text.get()
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split(":", -1))
                .toList();
    }
}
