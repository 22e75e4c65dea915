package dev.berth.oci;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.SecurityProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Picks a container's seccomp filter. The structured {@code seccomp} field wins over the deprecated
 * {@code seccomp_profile_path}; when neither is set the node's {@link SeccompWhenUnset} choice applies (Unconfined
 * unless configured, as CRI defines a nil profile). Privileged containers never get a filter.
 */
public final class SeccompProfiles {

    private static final String LOCALHOST_PREFIX = "localhost/";

    private final ObjectMapper mapper;
    private final DefaultSeccompProfile runtimeDefault;
    private final SeccompWhenUnset whenUnset;

    /** @param x32Abi whether the kernel runs x32 calls ({@link HostFacts#x32Abi}): the profile covers that ABI only then */
    public SeccompProfiles(ObjectMapper mapper, String arch, boolean x32Abi, SeccompWhenUnset whenUnset) {
        this.mapper = mapper;
        this.runtimeDefault = new DefaultSeccompProfile(mapper, arch, x32Abi);
        this.whenUnset = whenUnset;
    }

    /** The RuntimeDefault profile as it applies to a process with this bounding set. */
    public ObjectNode runtimeDefault(List<String> bounding) {
        return runtimeDefault.forCapabilities(bounding);
    }

    /** The linux.seccomp object, or empty for none. */
    Optional<ObjectNode> forContainer(LinuxContainerSecurityContext sc, List<String> bounding)
            throws InvalidContainerConfigException, IOException {
        if (sc.getPrivileged()) {
            return Optional.empty();
        }
        if (sc.hasSeccomp()) {
            SecurityProfile profile = sc.getSeccomp();
            return switch (profile.getProfileType()) {
                case RuntimeDefault -> Optional.of(runtimeDefault(bounding));
                case Unconfined -> Optional.empty();
                case Localhost -> Optional.of(localhost(profile.getLocalhostRef()));
                case UNRECOGNIZED -> throw new InvalidContainerConfigException("unknown seccomp profile type");
            };
        }
        String path = sc.getSeccompProfilePath();
        if (path.isEmpty()) {
            return whenUnset == SeccompWhenUnset.RuntimeDefault
                    ? Optional.of(runtimeDefault(bounding))
                    : Optional.empty();
        }
        if (path.equals("runtime/default") || path.equals("docker/default")) {
            return Optional.of(runtimeDefault(bounding));
        }
        if (path.equals("unconfined")) {
            return Optional.empty();
        }
        if (path.startsWith(LOCALHOST_PREFIX)) {
            return Optional.of(localhost(path.substring(LOCALHOST_PREFIX.length())));
        }
        throw new InvalidContainerConfigException("unsupported seccomp profile \"" + path
                + "\" (expected runtime/default, docker/default, unconfined or localhost/<absolute path>)");
    }

    private ObjectNode localhost(String ref) throws InvalidContainerConfigException, IOException {
        if (ref.isEmpty() || !ref.startsWith("/")) {
            throw new InvalidContainerConfigException(
                    "localhost seccomp profile must be an absolute path on the node, got \"" + ref + "\"");
        }
        Path file = Path.of(ref);
        if (!Files.isRegularFile(file)) {
            throw new InvalidContainerConfigException("localhost seccomp profile " + ref + " does not exist");
        }
        JsonNode json;
        try {
            json = mapper.readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw new InvalidContainerConfigException(
                    "localhost seccomp profile " + ref + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(json instanceof ObjectNode object) || !object.has("defaultAction")) {
            throw new InvalidContainerConfigException(
                    "localhost seccomp profile " + ref + " is not a seccomp profile (no defaultAction)");
        }
        return object;
    }
}
