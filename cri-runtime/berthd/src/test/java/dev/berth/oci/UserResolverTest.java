package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.Int64Value;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.SupplementalGroupsPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {

    @TempDir
    Path root;

    private final UserResolver resolver = new UserResolver();
    private static final LinuxContainerSecurityContext NONE = LinuxContainerSecurityContext.getDefaultInstance();

    private ResolvedUser resolve(LinuxContainerSecurityContext sc, String imageUser) throws Exception {
        return resolver.resolve(sc, imageUser, new RootfsFiles(root), SupplementalGroupsPolicy.Merge);
    }

    @Test
    void strictPolicyLeavesOutTheImagesGroupMembershipsButKeepsRequestedGroups() throws Exception {
        TestRootfs.withEtc(root);
        var sc = LinuxContainerSecurityContext.newBuilder()
                .setRunAsUsername("app")
                .addSupplementalGroups(5555)
                .build();

        assertThat(resolver.resolve(sc, "", new RootfsFiles(root), SupplementalGroupsPolicy.Strict))
                .isEqualTo(new ResolvedUser(1000, 1000, java.util.List.of(1000L, 5555L)));
        assertThat(resolve(sc, "")).isEqualTo(new ResolvedUser(1000, 1000, java.util.List.of(1000L, 10L, 44L, 5555L)));
    }

    @Test
    void runAsGroupWithoutAUserIsRejectedEvenWhenTheImageNamesOne() throws Exception {
        TestRootfs.withEtc(root);
        var sc = LinuxContainerSecurityContext.newBuilder()
                .setRunAsGroup(Int64Value.newBuilder().setValue(44))
                .build();

        assertThatThrownBy(() -> resolve(sc, "app"))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("user group \"44\" is specified without user");
    }

    @Test
    void noUserAnywhereIsRootWithGroupsListingRoot() throws Exception {
        TestRootfs.withEtc(root);
        assertThat(resolve(NONE, "")).isEqualTo(new ResolvedUser(0, 0, java.util.List.of(0L, 10L)));
    }

    @Test
    void imageUserNameTakesUidGidAndGroupMembershipsFromTheImage() throws Exception {
        TestRootfs.withEtc(root);
        assertThat(resolve(NONE, "app")).isEqualTo(new ResolvedUser(1000, 1000, java.util.List.of(1000L, 10L, 44L)));
    }

    @Test
    void imageUserNameColonGroupNameUsesThatGroup() throws Exception {
        TestRootfs.withEtc(root);
        ResolvedUser user = resolve(NONE, "app:staff");
        assertThat(user.uid()).isEqualTo(1000);
        assertThat(user.gid()).isEqualTo(50);
        assertThat(user.additionalGids()).containsExactly(50L, 10L, 44L);
    }

    @Test
    void numericUidWithoutPasswdEntryGetsGidZero() throws Exception {
        TestRootfs.withEtc(root);
        assertThat(resolve(NONE, "4242")).isEqualTo(new ResolvedUser(4242, 0, java.util.List.of(0L)));
    }

    @Test
    void numericUidColonGidNeedsNoEtcFilesAtAll() throws Exception {
        assertThat(resolve(NONE, "7:8")).isEqualTo(new ResolvedUser(7, 8, java.util.List.of(8L)));
    }

    @Test
    void unknownNamedUserIsRejected() throws Exception {
        TestRootfs.withEtc(root);
        assertThatThrownBy(() -> resolve(NONE, "ghost"))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("\"ghost\"");
    }

    @Test
    void unknownNamedGroupIsRejected() throws Exception {
        TestRootfs.withEtc(root);
        assertThatThrownBy(() -> resolve(NONE, "app:ghosts"))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("\"ghosts\"");
    }

    @Test
    void runAsUsernameWinsOverImageUserAndRunAsUserOverBoth() throws Exception {
        TestRootfs.withEtc(root);
        var byName = NONE.toBuilder().setRunAsUsername("nobody").build();
        assertThat(resolve(byName, "app").uid()).isEqualTo(65534);
        var byUid = byName.toBuilder()
                .setRunAsUser(Int64Value.newBuilder().setValue(1000))
                .build();
        assertThat(resolve(byUid, "root").uid()).isEqualTo(1000);
        assertThat(resolve(byUid, "root").gid()).isEqualTo(1000);
    }

    @Test
    void runAsGroupAndSupplementalGroupsAreAddedWithoutDuplicates() throws Exception {
        TestRootfs.withEtc(root);
        var sc = NONE.toBuilder()
                .setRunAsUser(Int64Value.newBuilder().setValue(1000))
                .setRunAsGroup(Int64Value.newBuilder().setValue(3000))
                .addSupplementalGroups(44)
                .addSupplementalGroups(5555)
                .build();
        assertThat(resolve(sc, "")).isEqualTo(new ResolvedUser(1000, 3000, java.util.List.of(3000L, 10L, 44L, 5555L)));
    }

    @Test
    void negativeRunAsUserIsRejected() {
        var sc = NONE.toBuilder()
                .setRunAsUser(Int64Value.newBuilder().setValue(-1))
                .build();
        assertThatThrownBy(() -> resolve(sc, ""))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("run_as_user");
    }

    @Test
    void absoluteSymlinkedPasswdResolvesInsideTheRootfsNotOnTheHost() throws Exception {
        // /etc/passwd -> /etc/alternatives/passwd: the host has no such file, the image does
        Files.createDirectories(root.resolve("etc/alternatives"));
        Files.writeString(root.resolve("etc/alternatives/passwd"), "svc:x:321:654::/:/bin/sh\n");
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/etc/alternatives/passwd"));
        assertThat(resolve(NONE, "svc").uid()).isEqualTo(321);
    }

    @Test
    void symlinkClimbingAboveTheRootStaysInTheRootfs() throws Exception {
        // a host file the link would reach if followed naively
        Path hostSide = Files.createTempFile("host-passwd", "");
        try {
            Files.writeString(hostSide, "svc:x:1:1::/:/bin/sh\n");
            Files.createDirectories(root.resolve("etc"));
            Path inRoot = root.resolve(hostSide.toString().substring(1));
            Files.createDirectories(inRoot.getParent());
            Files.writeString(inRoot, "svc:x:777:777::/:/bin/sh\n");
            Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../../../../../../.." + hostSide));
            assertThat(resolve(NONE, "svc").uid()).isEqualTo(777);
        } finally {
            Files.deleteIfExists(hostSide);
        }
    }

    @Test
    void symlinkLoopFailsInsteadOfSpinning() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/etc/passwd")); // a loop, not a hang
        assertThatThrownBy(() -> resolve(NONE, "app"))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("symbolic links");
    }
}
