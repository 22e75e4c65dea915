package dev.berth.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The RuntimeDefault seccomp profile (resource {@code default-seccomp.json}), made concrete for one container:
 * rules conditional on an architecture or on capabilities are kept or left out for this host's architecture and
 * the container's bounding set, as containerd's {@code seccomp.DefaultProfile(spec)} does. So a container given
 * CAP_SYS_ADMIN may call mount/unshare/setns, and one without it gets EPERM.
 *
 * <p>Unlike containerd's, the x32 ABI is left out of the architectures on a kernel that does not run it: no x32
 * program can run there (the kernel answers each of its calls ENOSYS; under this filter the call meets the
 * filter's bad-architecture action instead), and covering the ABI anyway made runc compile a third section of the
 * filter on each create (~5 ms of a container's start here).
 */
final class DefaultSeccompProfile {

    private static final String SCMP_ARCH_X32 = "SCMP_ARCH_X32";

    private final ObjectMapper mapper;
    private final JsonNode template;
    private final String arch;
    private final boolean x32Abi;

    DefaultSeccompProfile(ObjectMapper mapper, String arch, boolean x32Abi) {
        this.mapper = mapper;
        this.arch = arch;
        this.x32Abi = x32Abi;
        try (InputStream in = DefaultSeccompProfile.class.getResourceAsStream("default-seccomp.json")) {
            if (in == null) {
                throw new IllegalStateException("resource default-seccomp.json is missing from the berthd jar");
            }
            this.template = mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default seccomp profile", e);
        }
    }

    ObjectNode forCapabilities(List<String> bounding) {
        ObjectNode profile = mapper.createObjectNode();
        profile.put("defaultAction", template.get("defaultAction").asText());
        profile.put("defaultErrnoRet", template.get("defaultErrnoRet").asInt());
        ArrayNode architectures = profile.putArray("architectures");
        template.path("architectures").path(arch).forEach(a -> {
            if (x32Abi || !a.asText().equals(SCMP_ARCH_X32)) {
                architectures.add(a.asText());
            }
        });
        ArrayNode syscalls = profile.putArray("syscalls");
        for (JsonNode rule : template.get("rules")) {
            if (applies(rule, bounding)) {
                syscalls.add(toOci(rule));
            }
        }
        return profile;
    }

    private boolean applies(JsonNode rule, List<String> bounding) {
        if (rule.has("onlyArches") && !strings(rule.get("onlyArches")).contains(arch)) {
            return false;
        }
        if (rule.has("exceptArches") && strings(rule.get("exceptArches")).contains(arch)) {
            return false;
        }
        if (rule.has("withCaps") && !bounding.containsAll(strings(rule.get("withCaps")))) {
            return false;
        }
        return !(rule.has("withoutCaps")
                && strings(rule.get("withoutCaps")).stream().anyMatch(bounding::contains));
    }

    private ObjectNode toOci(JsonNode rule) {
        ObjectNode syscall = mapper.createObjectNode();
        ArrayNode names = syscall.putArray("names");
        Arrays.stream(rule.get("syscalls").asText().split("\\s+")).forEach(names::add);
        syscall.put("action", rule.get("action").asText());
        if (rule.has("errnoRet")) {
            syscall.put("errnoRet", rule.get("errnoRet").asInt());
        }
        if (rule.has("args")) {
            syscall.set("args", rule.get("args").deepCopy());
        }
        return syscall;
    }

    private static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
