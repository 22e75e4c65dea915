package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.SecurityProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompProfilesTest {

    private final SeccompProfiles profiles =
            new SeccompProfiles(new ObjectMapper(), "amd64", true, SeccompWhenUnset.Unconfined);
    private static final List<String> DEFAULT_CAPS = CapabilityResolver.DEFAULT;

    @TempDir
    Path dir;

    private Optional<ObjectNode> select(LinuxContainerSecurityContext sc) throws Exception {
        return profiles.forContainer(sc, DEFAULT_CAPS);
    }

    private static LinuxContainerSecurityContext structured(SecurityProfile.ProfileType type, String ref) {
        return LinuxContainerSecurityContext.newBuilder()
                .setSeccomp(SecurityProfile.newBuilder().setProfileType(type).setLocalhostRef(ref))
                .build();
    }

    private static LinuxContainerSecurityContext deprecated(String path) {
        return LinuxContainerSecurityContext.newBuilder()
                .setSeccompProfilePath(path)
                .build();
    }

    @Test
    void unsetMeansUnconfinedAsCriSaysUnlessTheNodeChoosesRuntimeDefault() throws Exception {
        assertThat(select(LinuxContainerSecurityContext.getDefaultInstance())).isEmpty();

        SeccompProfiles node = new SeccompProfiles(new ObjectMapper(), "amd64", true, SeccompWhenUnset.RuntimeDefault);
        assertThat(node.forContainer(LinuxContainerSecurityContext.getDefaultInstance(), DEFAULT_CAPS)
                        .orElseThrow()
                        .get("defaultAction")
                        .asText())
                .isEqualTo("SCMP_ACT_ERRNO");
        assertThat(node.forContainer(structured(SecurityProfile.ProfileType.Unconfined, ""), DEFAULT_CAPS))
                .isEmpty();
    }

    @Test
    void structuredProfileTypesSelectDefaultNoneOrFile() throws Exception {
        assertThat(select(structured(SecurityProfile.ProfileType.RuntimeDefault, "")))
                .isPresent();
        assertThat(select(structured(SecurityProfile.ProfileType.Unconfined, "")))
                .isEmpty();
        Path file = Files.writeString(dir.resolve("p.json"), "{\"defaultAction\":\"SCMP_ACT_LOG\"}");
        assertThat(select(structured(SecurityProfile.ProfileType.Localhost, file.toString()))
                        .get()
                        .get("defaultAction")
                        .asText())
                .isEqualTo("SCMP_ACT_LOG");
    }

    @Test
    void structuredFieldWinsOverDeprecatedPath() throws Exception {
        var sc = structured(SecurityProfile.ProfileType.Unconfined, "").toBuilder()
                .setSeccompProfilePath("runtime/default")
                .build();
        assertThat(select(sc)).isEmpty();
    }

    @Test
    void deprecatedPathFormsAreUnderstood() throws Exception {
        assertThat(select(deprecated("runtime/default"))).isPresent();
        assertThat(select(deprecated("docker/default"))).isPresent();
        assertThat(select(deprecated("unconfined"))).isEmpty();
        Path file = Files.writeString(dir.resolve("p.json"), "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        assertThat(select(deprecated("localhost/" + file))
                        .get()
                        .get("defaultAction")
                        .asText())
                .isEqualTo("SCMP_ACT_ALLOW");
        assertThatThrownBy(() -> select(deprecated("docker/strict")))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("docker/strict");
    }

    @Test
    void missingOrRelativeOrInvalidLocalhostProfileIsRejected() throws Exception {
        assertThatThrownBy(() -> select(structured(SecurityProfile.ProfileType.Localhost, dir + "/none.json")))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> select(structured(SecurityProfile.ProfileType.Localhost, "profiles/a.json")))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("absolute");
        Path garbage = Files.writeString(dir.resolve("bad.json"), "{not json");
        assertThatThrownBy(() -> select(structured(SecurityProfile.ProfileType.Localhost, garbage.toString())))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void privilegedContainersGetNoFilter() throws Exception {
        assertThat(select(LinuxContainerSecurityContext.newBuilder()
                        .setPrivileged(true)
                        .setSeccompProfilePath("runtime/default")
                        .build()))
                .isEmpty();
    }

    @Test
    void defaultProfileDeniesNamespaceAndMountSyscallsWithoutSysAdmin() {
        ObjectNode profile = profiles.runtimeDefault(DEFAULT_CAPS);
        assertThat(profile.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(profile.get("defaultErrnoRet").asInt()).isEqualTo(1);
        assertThat(strings(profile.get("architectures")))
                .containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        List<String> allowed = allowedUnconditionally(profile);
        assertThat(allowed)
                .contains("read", "execve", "clock_gettime", "arch_prctl", "chroot")
                .doesNotContain("unshare", "mount", "keyctl", "setns", "add_key", "reboot", "s390_runtime_instr");
        // plain clone only, and clone3 answered with ENOSYS so libc falls back to it
        assertThat(rulesFor(profile, "clone"))
                .singleElement()
                .satisfies(r -> assertThat(r.has("args")).isTrue());
        assertThat(rulesFor(profile, "clone3"))
                .singleElement()
                .satisfies(r -> assertThat(r.get("errnoRet").asInt()).isEqualTo(38));
    }

    @Test
    void onAKernelWithoutTheX32AbiTheDefaultProfileLeavesThatAbiOut() {
        ObjectNode profile = new SeccompProfiles(new ObjectMapper(), "amd64", false, SeccompWhenUnset.Unconfined)
                .runtimeDefault(DEFAULT_CAPS);

        assertThat(strings(profile.get("architectures"))).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86");
        assertThat(profile.get("syscalls"))
                .isEqualTo(profiles.runtimeDefault(DEFAULT_CAPS).get("syscalls"));
    }

    @Test
    void defaultProfileAllowsMountAndUnshareWithSysAdmin() {
        List<String> caps = new ArrayList<>(DEFAULT_CAPS);
        caps.add("CAP_SYS_ADMIN");
        ObjectNode profile = profiles.runtimeDefault(caps);
        assertThat(allowedUnconditionally(profile))
                .contains("unshare", "mount", "setns", "clone", "clone3")
                .doesNotContain("keyctl");
        assertThat(rulesFor(profile, "clone3"))
                .noneMatch(r -> r.get("action").asText().equals("SCMP_ACT_ERRNO"));
    }

    private static List<JsonNode> rulesFor(JsonNode profile, String syscall) {
        List<JsonNode> rules = new ArrayList<>();
        profile.get("syscalls").forEach(r -> {
            if (strings(r.get("names")).contains(syscall)) {
                rules.add(r);
            }
        });
        return rules;
    }

    private static List<String> allowedUnconditionally(JsonNode profile) {
        List<String> names = new ArrayList<>();
        profile.get("syscalls").forEach(r -> {
            if (r.get("action").asText().equals("SCMP_ACT_ALLOW") && !r.has("args")) {
                names.addAll(strings(r.get("names")));
            }
        });
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
