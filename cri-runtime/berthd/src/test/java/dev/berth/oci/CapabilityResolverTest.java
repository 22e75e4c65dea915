package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.Capability;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityResolverTest {

    /** Like this VM: everything but CAP_SYS_RESOURCE. */
    private static final List<String> HOST = without(LinuxCapabilities.NAMES, "CAP_SYS_RESOURCE");

    private final CapabilityResolver resolver = new CapabilityResolver(HOST);

    private List<String> resolve(List<String> add, List<String> drop) throws Exception {
        return resolver.resolve(LinuxContainerSecurityContext.newBuilder()
                .setCapabilities(
                        Capability.newBuilder().addAllAddCapabilities(add).addAllDropCapabilities(drop))
                .build());
    }

    @Test
    void noRequestGivesContainerdsDefaultSet() throws Exception {
        assertThat(resolver.resolve(LinuxContainerSecurityContext.getDefaultInstance()))
                .containsExactlyElementsOf(CapabilityResolver.DEFAULT);
    }

    @Test
    void addAndDropAcceptNamesWithOrWithoutPrefixInAnyCase() throws Exception {
        List<String> caps = resolve(List.of("net_admin", "CAP_SYS_PTRACE"), List.of("Kill", "cap_net_raw"));
        assertThat(caps).contains("CAP_NET_ADMIN", "CAP_SYS_PTRACE").doesNotContain("CAP_KILL", "CAP_NET_RAW");
    }

    @Test
    void addAllGivesEverythingBerthdHoldsMinusSingleDrops() throws Exception {
        List<String> caps = resolve(List.of("ALL"), List.of("CHOWN"));
        assertThat(caps).containsExactlyInAnyOrderElementsOf(without(HOST, "CAP_CHOWN"));
    }

    @Test
    void dropAllKeepsOnlySingleAdds() throws Exception {
        assertThat(resolve(List.of("NET_BIND_SERVICE"), List.of("all"))).containsExactly("CAP_NET_BIND_SERVICE");
    }

    @Test
    void privilegedGetsEveryCapabilityBerthdHolds() throws Exception {
        assertThat(resolver.resolve(LinuxContainerSecurityContext.newBuilder()
                        .setPrivileged(true)
                        .build()))
                .containsExactlyElementsOf(HOST);
    }

    @Test
    void unknownCapabilityIsRejected() {
        assertThatThrownBy(() -> resolve(List.of("FLY"), List.of()))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("\"FLY\"");
    }

    @Test
    void capabilityBerthdLacksCannotBeAdded() {
        assertThatThrownBy(() -> resolve(List.of("SYS_RESOURCE"), List.of()))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("CAP_SYS_RESOURCE");
    }

    @Test
    void capEffMaskOfThisKindOfHostDecodesToNamesInBitOrder() {
        assertThat(LinuxCapabilities.fromMask(0x000001fffeffffffL)).isEqualTo(HOST);
        assertThat(LinuxCapabilities.toMask(CapabilityResolver.DEFAULT)).isEqualTo(0xa80425fbL);
    }

    private static List<String> without(List<String> list, String removed) {
        List<String> copy = new ArrayList<>(list);
        copy.remove(removed);
        return List.copyOf(copy);
    }
}
