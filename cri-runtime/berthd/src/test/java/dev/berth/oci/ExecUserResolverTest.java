package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker exec -u USER[:GROUP] as libcontainer's GetExecUser reads the container's /etc/passwd and /etc/group. */
class ExecUserResolverTest {

    @TempDir
    Path root;

    private final UserResolver resolver = new UserResolver();

    private ResolvedUser resolve(String spec) throws Exception {
        return resolver.resolveExec(spec, root);
    }

    @Test
    void aNameTakesItsIdsAndTheGroupsListingIt() throws Exception {
        TestRootfs.withEtc(root);
        assertThat(resolve("app")).isEqualTo(new ResolvedUser(1000, 1000, List.of(1000L, 10L, 44L)));
        assertThat(resolve("nobody")).isEqualTo(new ResolvedUser(65534, 65534, List.of(65534L)));
    }

    @Test
    void aNumberInPasswdIsThatUserAndOneNotInItRunsWithGroupZero() throws Exception {
        TestRootfs.withEtc(root);
        assertThat(resolve("1000")).isEqualTo(new ResolvedUser(1000, 1000, List.of(1000L, 10L, 44L)));
        assertThat(resolve("4321")).isEqualTo(new ResolvedUser(4321, 0, List.of(0L)));
    }

    @Test
    void anExplicitGroupReplacesThePrimaryAndLeavesNoSupplementaryGroups() throws Exception {
        TestRootfs.withEtc(root);
        assertThat(resolve("app:staff")).isEqualTo(new ResolvedUser(1000, 50, List.of(50L)));
        assertThat(resolve("app:777")).isEqualTo(new ResolvedUser(1000, 777, List.of(777L)));
        assertThat(resolve(":video")).isEqualTo(new ResolvedUser(0, 44, List.of(44L)));
    }

    @Test
    void unknownNamesFailInDockersWords() throws Exception {
        TestRootfs.withEtc(root);
        assertThatThrownBy(() -> resolve("bob"))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessage("unable to find user bob: no matching entries in passwd file");
        assertThatThrownBy(() -> resolve("app:nogroup-here"))
                .hasMessage("unable to find group nogroup-here: no matching entries in group file");
        assertThatThrownBy(() -> resolve("99999999999"))
                .hasMessage("uids and gids must be in range 0-2147483647, got 99999999999");
    }

    @Test
    void anImageWithoutPasswdTakesNumbersOnly() throws Exception {
        assertThat(resolve("65534:65534")).isEqualTo(new ResolvedUser(65534, 65534, List.of(65534L)));
        assertThatThrownBy(() -> resolve("nobody")).hasMessageContaining("no matching entries in passwd file");
    }

    @Test
    void aPasswdLinkOutOfTheRootfsResolvesInsideIt() throws Exception {
        Path hostSide = Files.createTempFile("exec-host-passwd", "");
        try {
            Files.writeString(hostSide, "hostonly:x:4242:4242::/:/bin/sh\n");
            Files.createDirectories(root.resolve("etc"));
            Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../../../../../.." + hostSide));

            assertThatThrownBy(() -> resolve("hostonly")).hasMessageContaining("no matching entries in passwd file");
        } finally {
            Files.deleteIfExists(hostSide);
        }
    }
}
