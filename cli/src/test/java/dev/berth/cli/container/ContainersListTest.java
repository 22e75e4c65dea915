package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.cri.Cri;
import dev.berth.cli.cri.Endpoint;
import dev.berth.cli.grpc.CannedServer;
import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.ContainerStatusResponse;
import dev.berth.cri.v1.ListContainersResponse;
import dev.berth.cri.v1.ListPodSandboxResponse;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainersListTest {

    private static final long CREATED = 1_700_000_000_000_000_000L;
    private static final long STARTED = CREATED + 30_000_000_000L;

    private final Set<String> statusAsked = ConcurrentHashMap.newKeySet();

    @Test
    void aBriefListingAsksNoStatusOfARunningFirstAttemptAndTakesItsCreationAsItsStart(@TempDir Path dir)
            throws Exception {
        try (CannedServer server = CannedServer.start(dir.resolve("cri.sock"), answers());
                Cri cri = Cri.connect(Endpoint.resolve("unix://" + dir.resolve("cri.sock")))) {
            Map<String, CliContainer> byName =
                    new Containers(cri).listBrief(true).stream().collect(Collectors.toMap(CliContainer::name, c -> c));

            assertThat(statusAsked).containsExactlyInAnyOrder("c-restarted", "c-exited");
            assertThat(byName.get("fresh").state()).isEqualTo(State.RUNNING);
            assertThat(byName.get("fresh").status().orElseThrow().getStartedAt())
                    .isEqualTo(CREATED);
            assertThat(byName.get("fresh").labels()).containsEntry("team", "a");
            assertThat(byName.get("restarted").status().orElseThrow().getStartedAt())
                    .isEqualTo(STARTED);
            assertThat(byName.get("exited").status().orElseThrow().getExitCode())
                    .isEqualTo(3);
        }
    }

    @Test
    void theFullListingAsksEveryShownContainersStatus(@TempDir Path dir) throws Exception {
        try (CannedServer server = CannedServer.start(dir.resolve("cri.sock"), answers());
                Cri cri = Cri.connect(Endpoint.resolve("unix://" + dir.resolve("cri.sock")))) {
            List<CliContainer> running = new Containers(cri).list(false);

            assertThat(running).extracting(CliContainer::name).containsExactlyInAnyOrder("fresh", "restarted");
            assertThat(statusAsked).containsExactlyInAnyOrder("c-fresh", "c-restarted");
            assertThat(running)
                    .filteredOn(c -> c.name().equals("fresh"))
                    .singleElement()
                    .satisfies(c ->
                            assertThat(c.status().orElseThrow().getStartedAt()).isEqualTo(STARTED));
        }
    }

    private Map<String, Function<List<byte[]>, List<byte[]>>> answers() {
        List<PodSandbox> pods = List.of(pod("fresh"), pod("restarted"), pod("exited"));
        List<Container> containers = List.of(
                container("fresh", ContainerState.CONTAINER_RUNNING, Map.of()),
                container("restarted", ContainerState.CONTAINER_RUNNING, Map.of(CliLabels.RESTART_COUNT, "2")),
                container("exited", ContainerState.CONTAINER_EXITED, Map.of()));
        return Map.of(
                RuntimeServiceGrpc.getListPodSandboxMethod().getFullMethodName(),
                requests -> List.of(ListPodSandboxResponse.newBuilder()
                        .addAllItems(pods)
                        .build()
                        .toByteArray()),
                RuntimeServiceGrpc.getListContainersMethod().getFullMethodName(),
                requests -> List.of(ListContainersResponse.newBuilder()
                        .addAllContainers(containers)
                        .build()
                        .toByteArray()),
                RuntimeServiceGrpc.getContainerStatusMethod().getFullMethodName(),
                requests -> List.of(status(requests.getFirst()).toByteArray()));
    }

    private ContainerStatusResponse status(byte[] request) {
        try {
            String id = ContainerStatusRequest.parseFrom(request).getContainerId();
            statusAsked.add(id);
            ContainerState state =
                    id.equals("c-exited") ? ContainerState.CONTAINER_EXITED : ContainerState.CONTAINER_RUNNING;
            return ContainerStatusResponse.newBuilder()
                    .setStatus(ContainerStatus.newBuilder()
                            .setId(id)
                            .setState(state)
                            .setCreatedAt(CREATED)
                            .setStartedAt(STARTED)
                            .setFinishedAt(STARTED)
                            .setExitCode(id.equals("c-exited") ? 3 : 0))
                    .build();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static PodSandbox pod(String name) {
        return PodSandbox.newBuilder()
                .setId("p-" + name)
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(name)
                        .setNamespace(CliLabels.NAMESPACE)
                        .setUid("u-" + name))
                .setCreatedAt(CREATED)
                .putLabels(CliLabels.NAME, name)
                .build();
    }

    private static Container container(String name, ContainerState state, Map<String, String> annotations) {
        return Container.newBuilder()
                .setId("c-" + name)
                .setPodSandboxId("p-" + name)
                .setState(state)
                .setCreatedAt(CREATED)
                .putLabels("team", "a")
                .putAllAnnotations(annotations)
                .build();
    }
}
