package dev.berth.cri.validation;

import dev.berth.cri.v1.Capability;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.SELinuxOption;
import dev.berth.cri.v1.SecurityProfile;
import java.util.List;

/** The security contexts of pods and containers: ids, namespaces, profiles, capabilities, masked paths. */
final class SecurityChecks {

    /**
     * runc's bound, below Linux's uid_t (2^32-2): runc refuses uids and gids above 2^31-1 ("uids and gids must be in
     * range 0-2147483647"), so a larger one would only fail later, inside runc create, as berthd's error.
     */
    static final long MAX_NUMERIC_ID = Integer.MAX_VALUE;

    private SecurityChecks() {}

    static void numericId(String field, long id) throws InvalidRequestException {
        Check.range(field, id, 0, MAX_NUMERIC_ID);
    }

    static void groups(String field, List<Long> groups) throws InvalidRequestException {
        Check.count(field, groups.size(), RequestLimits.MAX_SUPPLEMENTAL_GROUPS);
        for (int i = 0; i < groups.size(); i++) {
            numericId(field + "[" + i + "]", groups.get(i));
        }
    }

    static void selinux(String field, SELinuxOption selinux) throws InvalidRequestException {
        Check.text(field + ".user", selinux.getUser(), RequestLimits.MAX_TOKEN_BYTES);
        Check.text(field + ".role", selinux.getRole(), RequestLimits.MAX_TOKEN_BYTES);
        Check.text(field + ".type", selinux.getType(), RequestLimits.MAX_TOKEN_BYTES);
        Check.text(field + ".level", selinux.getLevel(), RequestLimits.MAX_TOKEN_BYTES);
    }

    static void namespaces(String field, NamespaceOption options) throws InvalidRequestException {
        Check.idPrefix(field + ".target_id", options.getTargetId());
        if (options.getNetwork() == NamespaceMode.UNRECOGNIZED
                || options.getPid() == NamespaceMode.UNRECOGNIZED
                || options.getIpc() == NamespaceMode.UNRECOGNIZED) {
            throw new InvalidRequestException(field, "names a mode that is not POD, CONTAINER, NODE or TARGET");
        }
    }

    static void profile(String field, SecurityProfile profile) throws InvalidRequestException {
        if (profile.getProfileType() == SecurityProfile.ProfileType.UNRECOGNIZED) {
            throw new InvalidRequestException(
                    field + ".profile_type", profile.getProfileTypeValue() + " is not a profile type");
        }
        Check.text(field + ".localhost_ref", profile.getLocalhostRef(), RequestLimits.MAX_PATH_BYTES);
    }

    static void container(String field, LinuxContainerSecurityContext sc) throws InvalidRequestException {
        capabilities(field + ".capabilities", sc.getCapabilities());
        namespaces(field + ".namespace_options", sc.getNamespaceOptions());
        selinux(field + ".selinux_options", sc.getSelinuxOptions());
        if (sc.hasRunAsUser()) {
            numericId(field + ".run_as_user", sc.getRunAsUser().getValue());
        }
        if (sc.hasRunAsGroup()) {
            numericId(field + ".run_as_group", sc.getRunAsGroup().getValue());
        }
        Check.text(field + ".run_as_username", sc.getRunAsUsername(), RequestLimits.MAX_TOKEN_BYTES);
        groups(field + ".supplemental_groups", sc.getSupplementalGroupsList());
        paths(field + ".masked_paths", sc.getMaskedPathsList());
        paths(field + ".readonly_paths", sc.getReadonlyPathsList());
        profile(field + ".seccomp", sc.getSeccomp());
        profile(field + ".apparmor", sc.getApparmor());
        Check.text(field + ".apparmor_profile", sc.getApparmorProfile(), RequestLimits.MAX_PATH_BYTES);
        Check.text(field + ".seccomp_profile_path", sc.getSeccompProfilePath(), RequestLimits.MAX_PATH_BYTES);
    }

    private static void capabilities(String field, Capability caps) throws InvalidRequestException {
        Check.texts(
                field + ".add_capabilities",
                caps.getAddCapabilitiesList(),
                RequestLimits.MAX_CAPABILITIES,
                RequestLimits.MAX_TOKEN_BYTES);
        Check.texts(
                field + ".drop_capabilities",
                caps.getDropCapabilitiesList(),
                RequestLimits.MAX_CAPABILITIES,
                RequestLimits.MAX_TOKEN_BYTES);
        Check.texts(
                field + ".add_ambient_capabilities",
                caps.getAddAmbientCapabilitiesList(),
                RequestLimits.MAX_CAPABILITIES,
                RequestLimits.MAX_TOKEN_BYTES);
    }

    /** Masked and read-only paths: absolute, and never the root (masking "/" would hide the whole rootfs). */
    private static void paths(String field, List<String> paths) throws InvalidRequestException {
        Check.count(field, paths.size(), RequestLimits.MAX_SECURITY_PATHS);
        for (int i = 0; i < paths.size(); i++) {
            Check.containerPath(field + "[" + i + "]", paths.get(i));
        }
    }
}
