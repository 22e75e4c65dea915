package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cgroup.CgroupResources;
import dev.berth.cgroup.FakeCgroups;
import dev.berth.testing.TestRecords;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which cgroup a pod gets and which ones its removal may kill or remove. */
class PodCgroupsTest {

    private final FakeCgroups cgroups = new FakeCgroups();
    private final PodCgroups podCgroups = new PodCgroups(cgroups);

    @Test
    void thePodsCgroupIsItsIdBelowKubeletsParentInCanonicalForm() {
        assertThat(PodCgroups.path("/kubepods/burstable/pod-u1", "abc")).isEqualTo("/kubepods/burstable/pod-u1/abc");
        assertThat(PodCgroups.path("//kubepods//pod-u1/", "abc")).isEqualTo("/kubepods/pod-u1/abc");
    }

    @Test
    void withoutAParentOrWithTheRootThePodGoesBelowBerthsOwnParent() {
        assertThat(PodCgroups.path("", "abc")).isEqualTo("/berth/abc");
        assertThat(PodCgroups.path("/", "abc")).isEqualTo("/berth/abc");
        assertThat(podCgroups.missingParents("")).isEmpty();
        assertThat(podCgroups.missingParents("/")).isEmpty();
    }

    @Test
    void aRelativeParentOrOneWithDotDotIsRefused() {
        assertThatThrownBy(() -> PodCgroups.path("kubepods/pod-u1", "abc"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PodCgroups.path("/kubepods/../etc", "abc"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> podCgroups.missingParents("/kubepods/.."))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingParentsAreTheAncestorsNoHierarchyHasDeepestFirst() {
        cgroups.existing.add("/kubepods");

        assertThat(podCgroups.missingParents("/kubepods/burstable/pod-u1"))
                .containsExactly("/kubepods/burstable/pod-u1", "/kubepods/burstable");
        cgroups.existing.add("/kubepods/burstable/pod-u1");
        assertThat(podCgroups.missingParents("/kubepods/burstable/pod-u1")).isEmpty();
    }

    @Test
    void removalRemovesTheParentsBerthdMadeOnceEmpty() throws IOException {
        SandboxRecord pod = pod("p1", "/a/b/p1", List.of("/a/b", "/a"));
        podCgroups.create(pod, CgroupResources.none());

        podCgroups.remove(pod);

        assertThat(cgroups.calls)
                .containsSubsequence("killAll /a/b/p1", "remove /a/b/p1", "removeIfEmpty /a/b", "removeIfEmpty /a");
        assertThat(cgroups.existing).isEmpty();
    }

    @Test
    void aParentBerthdMadeStaysWhileAnotherPodIsBelowIt() throws IOException {
        SandboxRecord first = pod("p1", "/shared/p1", List.of("/shared"));
        SandboxRecord second = pod("p2", "/shared/p2", List.of());
        podCgroups.create(first, CgroupResources.none());
        podCgroups.create(second, CgroupResources.none());

        podCgroups.remove(first);

        assertThat(cgroups.existing).containsExactly("/shared/p2");
        assertThat(cgroups.calls).contains("removeIfEmpty /shared");
    }

    /** Records of releases before the pod had its own cgroup hold kubelet's parent as the pod's path. */
    @Test
    void aRecordWhosePathIsKubeletsParentLeavesItUntouched() throws IOException {
        cgroups.existing.add("/kubepods/pod-u1");

        podCgroups.remove(pod("p1", "/kubepods/pod-u1", List.of()));

        assertThat(cgroups.calls).isEmpty();
        assertThat(cgroups.existing).containsExactly("/kubepods/pod-u1");
    }

    private static SandboxRecord pod(String id, String cgroupPath, List<String> parentsMade) {
        SandboxRecord plain = TestRecords.pod(id, "web", SandboxState.NOTREADY, cgroupPath);
        SandboxMetadata m = plain.metadata();
        return new SandboxRecord(
                SandboxRecord.FORMAT_VERSION,
                new SandboxMetadata(
                        m.id(),
                        m.name(),
                        m.namespace(),
                        m.uid(),
                        m.attempt(),
                        m.labels(),
                        m.annotations(),
                        m.runtimeHandler(),
                        m.cgroupPath(),
                        parentsMade,
                        m.namespaceModes(),
                        m.portMappings(),
                        m.createdAtNanos(),
                        m.config()),
                plain.status());
    }
}
