package dev.berth.oci;

import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.SupplementalGroupsPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who the container runs as. The pod's run_as_user wins over run_as_username, which wins over the image's USER
 * ("uid", "name", "uid:gid", "name:group"); names are looked up in the image's own /etc/passwd and /etc/group.
 * Supplementary groups follow containerd (2.0) and CRI-O: the primary gid, then, under the Merge policy (the
 * default), every group of /etc/group listing the user, then the requested supplemental_groups; under Strict the
 * image's /etc/group is not consulted.
 *
 * <p>An exec's USER[:GROUP] ({@link #resolveExec}) reads the same files as docker exec -u reads them (libcontainer's
 * GetExecUser): a name must be there, a number need not; supplementary groups are the user's in /etc/group only when
 * no group is given.
 */
public final class UserResolver {

    ResolvedUser resolve(
            LinuxContainerSecurityContext sc, String imageUser, RootfsFiles rootfs, SupplementalGroupsPolicy policy)
            throws InvalidContainerConfigException, IOException {
        if (sc.hasRunAsGroup() && !sc.hasRunAsUser() && sc.getRunAsUsername().isEmpty()) {
            // as containerd: a group alone would silently pair with the image's user
            throw new InvalidContainerConfigException(
                    "user group \"" + sc.getRunAsGroup().getValue()
                            + "\" is specified without user (run_as_group needs run_as_user or run_as_username)");
        }
        EtcFiles etc = EtcFiles.read(rootfs);
        String userPart;
        String groupPart = null;
        if (sc.hasRunAsUser()) {
            userPart = Long.toString(NumericIds.check(sc.getRunAsUser().getValue(), "run_as_user"));
        } else if (!sc.getRunAsUsername().isEmpty()) {
            userPart = sc.getRunAsUsername();
        } else {
            String spec = imageUser == null ? "" : imageUser.strip();
            int colon = spec.indexOf(':');
            userPart = colon < 0 ? spec : spec.substring(0, colon);
            groupPart = colon < 0 ? null : spec.substring(colon + 1);
        }

        long uid;
        Optional<EtcFiles.PasswdEntry> entry;
        Optional<Long> numericUid = NumericIds.parse(userPart);
        if (userPart.isEmpty()) {
            uid = 0;
            entry = etc.userById(0);
        } else if (numericUid.isPresent()) {
            uid = numericUid.get();
            entry = etc.userById(uid);
        } else {
            entry = etc.userByName(userPart);
            if (entry.isEmpty()) {
                throw new InvalidContainerConfigException(
                        "user \"" + userPart + "\" is not in the image's /etc/passwd");
            }
            uid = entry.get().uid();
        }

        long gid = entry.map(EtcFiles.PasswdEntry::gid).orElse(0L);
        if (groupPart != null && !groupPart.isEmpty()) {
            gid = groupId(groupPart, etc);
        }
        if (sc.hasRunAsGroup()) {
            gid = NumericIds.check(sc.getRunAsGroup().getValue(), "run_as_group");
        }

        Set<Long> additional = new LinkedHashSet<>();
        additional.add(gid);
        if (policy != SupplementalGroupsPolicy.Strict) {
            entry.ifPresent(e -> additional.addAll(etc.groupsListing(e.name())));
        }
        for (long supplemental : sc.getSupplementalGroupsList()) {
            additional.add(NumericIds.check(supplemental, "supplemental group"));
        }
        return new ResolvedUser(uid, gid, List.copyOf(additional));
    }

    /**
     * docker's {@code exec -u USER[:GROUP]} in the container whose root filesystem is {@code rootfs}, its files read
     * with every symlink resolved inside it; an unknown name fails with docker's words.
     */
    public ResolvedUser resolveExec(String spec, Path rootfs) throws InvalidContainerConfigException, IOException {
        int colon = spec.indexOf(':');
        String userPart = colon < 0 ? spec : spec.substring(0, colon);
        String groupPart = colon < 0 ? "" : spec.substring(colon + 1);
        EtcFiles etc = EtcFiles.read(new RootfsFiles(rootfs));
        Optional<EtcFiles.PasswdEntry> entry;
        long uid;
        if (userPart.isEmpty()) {
            uid = 0;
            entry = etc.userById(0);
        } else if (isNumber(userPart)) {
            uid = execId(userPart);
            entry = etc.userById(uid);
        } else {
            entry = etc.userByName(userPart);
            uid = entry.map(EtcFiles.PasswdEntry::uid)
                    .orElseThrow(() -> new InvalidContainerConfigException(
                            "unable to find user " + userPart + ": no matching entries in passwd file"));
        }
        long gid = entry.map(EtcFiles.PasswdEntry::gid).orElse(0L);
        Set<Long> additional = new LinkedHashSet<>();
        if (!groupPart.isEmpty()) {
            gid = isNumber(groupPart)
                    ? execId(groupPart)
                    : etc.groupByName(groupPart)
                            .map(EtcFiles.GroupEntry::gid)
                            .orElseThrow(() -> new InvalidContainerConfigException(
                                    "unable to find group " + groupPart + ": no matching entries in group file"));
            additional.add(gid);
        } else {
            additional.add(gid);
            entry.ifPresent(e -> additional.addAll(etc.groupsListing(e.name())));
        }
        return new ResolvedUser(uid, gid, List.copyOf(additional));
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }

    private static long execId(String number) throws InvalidContainerConfigException {
        return NumericIds.parse(number)
                .orElseThrow(() -> new InvalidContainerConfigException(
                        "uids and gids must be in range 0-" + NumericIds.MAX_ID + ", got " + number));
    }

    private static long groupId(String group, EtcFiles etc) throws InvalidContainerConfigException {
        Optional<Long> numeric = NumericIds.parse(group);
        if (numeric.isPresent()) {
            return numeric.get();
        }
        return etc.groupByName(group)
                .map(EtcFiles.GroupEntry::gid)
                .orElseThrow(() -> new InvalidContainerConfigException(
                        "group \"" + group + "\" is not in the image's /etc/group"));
    }
}
