package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.v1.ContainerExecRequest;
import dev.berth.api.v1.ContainersGrpc;
import dev.berth.cri.v1.ExecRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.streaming.StreamRequest.Channels;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testing.SpdyStreamClient;
import dev.berth.testing.SpdyStreamClient.ExecResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * berth.v1 Containers.Exec, docker's exec -u/-w/-e: the call resolves the user in the container, the streaming
 * session runs runc exec with the container's process changed only where asked, through real runc.
 */
class BerthExecIntegrationTest {

    private static final Channels OUT_ERR = new Channels(false, true, true, false);

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension("berthexecuser");

    private final PodClient pods = bed.pods();
    private final SpdyStreamClient spdy = new SpdyStreamClient();

    @AfterEach
    void closeTheClient() throws Exception {
        spdy.close();
    }

    private String sleeper(String name) {
        PodSandboxConfig pod = pods.pod(name).build();
        return pods.createAndStart(
                pods.run(pod),
                pod,
                pods.container("sleeper", bed.busybox(), "sleep", "1000")
                        .addEnvs(dev.berth.cri.v1.KeyValue.newBuilder()
                                .setKey("KEPT")
                                .setValue("container"))
                        .addEnvs(dev.berth.cri.v1.KeyValue.newBuilder()
                                .setKey("REPLACED")
                                .setValue("container"))
                        .build());
    }

    private static ContainersGrpc.ContainersBlockingStub containers() {
        return ContainersGrpc.newBlockingStub(bed.daemon().channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static ContainerExecRequest.Builder exec(String containerId, String... cmd) {
        return ContainerExecRequest.newBuilder()
                .setExec(ExecRequest.newBuilder()
                        .setContainerId(containerId)
                        .addAllCmd(List.of(cmd))
                        .setStdout(true)
                        .setStderr(true));
    }

    private ExecResult run(ContainerExecRequest.Builder request) throws Exception {
        URI url = URI.create(containers().exec(request.build()).getUrl());
        return spdy.exec(url, OUT_ERR, new byte[0]);
    }

    @Test
    void execAsANamedUserTakesItsIdsAndDropsTheContainersGroups() throws Exception {
        String id = sleeper("exec-nobody");

        ExecResult asNobody = run(exec(id, "sh", "-c", "id -u; id -g; id -G").setUser("nobody"));

        assertThat(asNobody.exitCode()).as(asNobody.errorText()).contains(0);
        assertThat(asNobody.stdoutText()).isEqualTo("65534\n65534\n65534\n");
        ExecResult asRoot = run(exec(id, "id", "-u"));
        assertThat(asRoot.stdoutText()).isEqualTo("0\n");
    }

    @Test
    void execAsNumericIdsNeedsNoPasswdEntryAndAGroupNameIsLookedUp() throws Exception {
        String id = sleeper("exec-numeric");

        ExecResult numeric = run(exec(id, "sh", "-c", "id -u; id -g").setUser("4321:8765"));
        ExecResult named = run(exec(id, "sh", "-c", "id -u; id -g").setUser("65534:root"));

        assertThat(numeric.stdoutText()).isEqualTo("4321\n8765\n");
        assertThat(named.stdoutText()).isEqualTo("65534\n0\n");
    }

    @Test
    void execAsAUserGetsItsGroupsFromTheContainersCurrentGroupFile() throws Exception {
        String id = sleeper("exec-groups");
        pods.execSync(id, "sh", "-c", "echo staff:x:50:nobody >> /etc/group");

        ExecResult result = run(exec(id, "id", "-G").setUser("nobody"));

        assertThat(result.stdoutText()).isEqualTo("65534 50\n");
    }

    @Test
    void workdirAndEnvChangeOnlyWhatTheyName() throws Exception {
        String id = sleeper("exec-wd-env");

        ExecResult result = run(exec(id, "sh", "-c", "pwd; echo $A $KEPT $REPLACED")
                .setWorkdir("/tmp")
                .addEnv("A=1")
                .addEnv("REPLACED=exec"));

        assertThat(result.exitCode()).as(result.errorText()).contains(0);
        assertThat(result.stdoutText().lines().toList()).containsExactly("/tmp", "1 container exec");
    }

    @Test
    void optionsNeedNoShellOrEnvInTheImage() throws Exception {
        String id = sleeper("exec-no-shell");
        pods.execSync(id, "rm", "/bin/sh", "/bin/env");

        ExecResult pwd = run(exec(id, "pwd").setWorkdir("/tmp").setUser("nobody"));
        ExecResult env = run(exec(id, "busybox", "env").addEnv("A=1"));

        assertThat(pwd.exitCode()).as(pwd.errorText()).contains(0);
        assertThat(pwd.stdoutText()).isEqualTo("/tmp\n");
        assertThat(env.stdoutText().lines()).contains("A=1", "KEPT=container");
    }

    @Test
    void unknownUserOrGroupIsInvalidArgumentInDockersWords() {
        String id = sleeper("exec-unknown");

        assertThatThrownBy(
                        () -> containers().exec(exec(id, "true").setUser("bob").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("unable to find user bob: no matching entries in passwd file");
                });
        assertThatThrownBy(() -> containers()
                        .exec(exec(id, "true").setUser("nobody:wheel").build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription())
                                .isEqualTo("unable to find group wheel: no matching entries in group file"));
        assertThatThrownBy(() ->
                        containers().exec(exec(id, "true").setWorkdir("tmp").build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> containers().exec(exec(id, "true").addEnv("=x").build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void aWorkdirThatDoesNotExistFailsTheExecWithTheRuntimesReason() throws Exception {
        String id = sleeper("exec-no-dir");

        ExecResult result = run(exec(id, "pwd").setWorkdir("/no/such/dir"));

        assertThat(result.stdoutText()).isEmpty();
        assertThat(result.status().orElseThrow().path("status").asText()).isEqualTo("Failure");
        assertThat(result.errorText()).contains("/no/such/dir").contains("no such file or directory");
    }

    @Test
    void aPasswdSymlinkPointingOutOfTheRootfsIsNotFollowedToTheHost() throws Exception {
        Path hostFile = Files.createTempFile("berth-exec-host-passwd", "");
        try {
            Files.writeString(hostFile, "hostonly:x:4242:4242::/:/bin/sh\n");
            String id = sleeper("exec-symlink");
            for (String target : List.of(hostFile.toString(), "../../../../../../../../.." + hostFile)) {
                pods.execSync(id, "ln", "-sfn", target, "/etc/passwd");

                assertThatThrownBy(() -> containers()
                                .exec(exec(id, "true").setUser("hostonly").build()))
                        .as(target)
                        .isInstanceOfSatisfying(
                                StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getDescription())
                                        .isEqualTo("unable to find user hostonly: no matching entries in passwd file"));
            }
        } finally {
            Files.deleteIfExists(hostFile);
        }
    }

    @Test
    void aTerminalExecRunsWithTheOptionsToo() throws Exception {
        String id = sleeper("exec-tty-user");
        Channels tty = new Channels(false, true, false, true);
        ContainerExecRequest.Builder request = exec(id, "sh", "-c", "id -u; pwd; test -t 1 && echo tty")
                .setUser("nobody")
                .setWorkdir("/tmp");
        request.getExecBuilder().setStderr(false).setTty(true);

        ExecResult result =
                spdy.exec(URI.create(containers().exec(request.build()).getUrl()), tty, new byte[0]);

        assertThat(result.exitCode()).as(result.errorText()).contains(0);
        assertThat(result.stdoutText()).isEqualTo("65534\r\n/tmp\r\ntty\r\n");
    }

    @Test
    void anExecWithoutOptionsIsCrisExec() throws Exception {
        String id = sleeper("exec-plain");

        ExecResult result = run(exec(id, "sh", "-c", "id -u; pwd; echo $KEPT; exit 4"));

        assertThat(result.stdoutText()).isEqualTo("0\n/\ncontainer\n");
        assertThat(result.exitCode()).contains(4);
    }
}
