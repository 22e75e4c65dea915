package dev.berth.cli.container;

import dev.berth.cli.CliException;
import dev.berth.cli.cri.Cri;
import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.ContainerStatusResponse;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxFilter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/** Finds containers as people name them: the CLI's by name or ID prefix, anyone else's by container or pod ID. */
public final class Containers {

    private final Cri cri;

    public Containers(Cri cri) {
        this.cri = cri;
    }

    /**
     * The CLI's containers, newest first; with {@code all}, the ones that are not running too. Two list calls, then
     * the statuses (which alone carry start and exit times) of the containers shown, all asked at once.
     */
    public List<CliContainer> list(boolean all) {
        return list(all, false);
    }

    /**
     * As {@link #list}, for a table of them (ps): a running container on its first attempt is shown from the
     * listing alone, its start taken as its creation (run makes and starts it in one go, as start and restart do
     * when they make it again), so a ps of running containers asks for no status; one berthd made again under a
     * restart policy, and one that is not running, is asked for as before. Its status carries what the listing
     * does, nothing of the runtime's config (resources, mounts, log path).
     */
    public List<CliContainer> listBrief(boolean all) {
        return list(all, true);
    }

    private List<CliContainer> list(boolean all, boolean brief) {
        List<PodSandbox> pods = cri
                .call("list pods", () -> cri.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()))
                .getItemsList()
                .stream()
                .filter(pod -> pod.containsLabels(CliLabels.NAME))
                .toList();
        Map<String, Container> latest = latestContainers();
        List<Container> asked = pods.stream()
                .map(pod -> latest.get(pod.getId()))
                .filter(c -> c != null && (all || c.getState() == ContainerState.CONTAINER_RUNNING))
                .filter(c -> !(brief && startedAsCreated(c)))
                .toList();
        Map<String, Optional<ContainerStatus>> statuses = statuses(asked);
        List<CliContainer> containers = new ArrayList<>();
        for (PodSandbox pod : pods) {
            Container latestOne = latest.get(pod.getId());
            Optional<ContainerStatus> status;
            if (latestOne == null) {
                status = Optional.empty();
            } else if (brief && startedAsCreated(latestOne)) {
                status = Optional.of(listed(latestOne));
            } else {
                status = statuses.getOrDefault(latestOne.getId(), Optional.empty());
            }
            CliContainer container = new CliContainer(pod, status, true);
            if (all || container.state() == State.RUNNING) {
                containers.add(container);
            }
        }
        containers.sort(Comparator.comparingLong(CliContainer::createdNanos).reversed());
        return containers;
    }

    private static boolean startedAsCreated(Container container) {
        return container.getState() == ContainerState.CONTAINER_RUNNING
                && !container.containsAnnotations(CliLabels.RESTART_COUNT);
    }

    /** A listed container's status as the listing has it, started when it was created. */
    private static ContainerStatus listed(Container container) {
        return ContainerStatus.newBuilder()
                .setId(container.getId())
                .setMetadata(container.getMetadata())
                .setState(container.getState())
                .setCreatedAt(container.getCreatedAt())
                .setStartedAt(container.getCreatedAt())
                .setImage(container.getImage())
                .setImageRef(container.getImageRef())
                .putAllLabels(container.getLabelsMap())
                .putAllAnnotations(container.getAnnotationsMap())
                .build();
    }

    /** Each container's status by its ID, the calls in flight together; empty for one that has gone meanwhile. */
    private Map<String, Optional<ContainerStatus>> statuses(List<Container> containers) {
        Map<String, Future<ContainerStatusResponse>> asked = new LinkedHashMap<>();
        for (Container container : containers) {
            asked.put(
                    container.getId(),
                    cri.runtimeFutures()
                            .containerStatus(ContainerStatusRequest.newBuilder()
                                    .setContainerId(container.getId())
                                    .build()));
        }
        Map<String, Optional<ContainerStatus>> statuses = new HashMap<>();
        try {
            for (Map.Entry<String, Future<ContainerStatusResponse>> answer : asked.entrySet()) {
                statuses.put(answer.getKey(), answered(answer.getKey(), answer.getValue()));
            }
        } finally {
            asked.values().forEach(future -> future.cancel(true));
        }
        return statuses;
    }

    private Optional<ContainerStatus> answered(String id, Future<ContainerStatusResponse> answer) {
        try {
            return Optional.of(answer.get().getStatus());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while asking for the status of container " + id);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException failure) {
                if (failure.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    return Optional.empty();
                }
                throw cri.failure("status of container " + id, failure);
            }
            throw new CliException("status of container " + id + ": " + e.getCause());
        }
    }

    /**
     * The container {@code ref} names: a CLI container's name, then a prefix of a CLI container's ID, then a
     * prefix of any container's ID, then of any pod's ID (kubelet's too: rm and inspect take those by ID only).
     */
    public CliContainer find(String ref) {
        return lookup(ref).orElseThrow(() -> new CliException("No such container: " + ref));
    }

    public Optional<CliContainer> lookup(String ref) {
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        List<PodSandbox> pods = cri.call(
                        "list pods", () -> cri.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()))
                .getItemsList();
        Optional<PodSandbox> named = pods.stream()
                .filter(pod -> ref.equals(pod.getLabelsOrDefault(CliLabels.NAME, null)))
                .findFirst();
        if (named.isPresent()) {
            return Optional.of(managed(named.get()));
        }
        List<PodSandbox> ours = pods.stream()
                .filter(pod -> pod.containsLabels(CliLabels.NAME) && pod.getId().startsWith(ref))
                .toList();
        if (!ours.isEmpty()) {
            return Optional.of(managed(unique(ours, ref, PodSandbox::getId)));
        }
        List<Container> containers = cri
                .call("list containers", () -> cri.runtime().listContainers(ListContainersRequest.getDefaultInstance()))
                .getContainersList()
                .stream()
                .filter(c -> c.getId().startsWith(ref))
                .toList();
        if (!containers.isEmpty()) {
            Container container = unique(containers, ref, Container::getId);
            PodSandbox pod = pods.stream()
                    .filter(p -> p.getId().equals(container.getPodSandboxId()))
                    .findFirst()
                    .orElseThrow(() -> new CliException("No such container: " + ref));
            boolean cli = pod.containsLabels(CliLabels.NAME);
            return Optional.of(new CliContainer(pod, status(container), cli));
        }
        List<PodSandbox> foreign =
                pods.stream().filter(pod -> pod.getId().startsWith(ref)).toList();
        if (!foreign.isEmpty()) {
            return Optional.of(new CliContainer(unique(foreign, ref, PodSandbox::getId), Optional.empty(), false));
        }
        return Optional.empty();
    }

    /** The pod of a CLI container by name, if one holds that name. */
    public Optional<PodSandbox> podNamed(String name) {
        return cri
                .call(
                        "list pods",
                        () -> cri.runtime()
                                .listPodSandbox(ListPodSandboxRequest.newBuilder()
                                        .setFilter(PodSandboxFilter.newBuilder().putLabelSelector(CliLabels.NAME, name))
                                        .build()))
                .getItemsList()
                .stream()
                .findFirst();
    }

    /**
     * The container {@code containerId} of a CLI pod the caller knows (one it just ran): one status call, where a
     * lookup by name makes three. Empty once the container has gone.
     */
    public Optional<CliContainer> inPod(PodSandbox pod, String containerId) {
        return status(containerId).map(status -> new CliContainer(pod, Optional.of(status), true));
    }

    private CliContainer managed(PodSandbox pod) {
        List<Container> inPod = cri.call(
                        "list containers",
                        () -> cri.runtime()
                                .listContainers(ListContainersRequest.newBuilder()
                                        .setFilter(dev.berth.cri.v1.ContainerFilter.newBuilder()
                                                .setPodSandboxId(pod.getId()))
                                        .build()))
                .getContainersList();
        Optional<Container> latest = inPod.stream().max(Comparator.comparingLong(Container::getCreatedAt));
        return new CliContainer(pod, latest.flatMap(this::status), true);
    }

    private Map<String, Container> latestContainers() {
        return cri
                .call("list containers", () -> cri.runtime().listContainers(ListContainersRequest.getDefaultInstance()))
                .getContainersList()
                .stream()
                .collect(Collectors.toMap(
                        Container::getPodSandboxId, c -> c, (a, b) -> a.getCreatedAt() >= b.getCreatedAt() ? a : b));
    }

    private Optional<ContainerStatus> status(Container container) {
        return container == null ? Optional.empty() : status(container.getId());
    }

    private Optional<ContainerStatus> status(String containerId) {
        try {
            return Optional.of(cri.runtime()
                    .containerStatus(ContainerStatusRequest.newBuilder()
                            .setContainerId(containerId)
                            .build())
                    .getStatus());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw cri.failure("status of container " + containerId, e);
        }
    }

    private static <T> T unique(List<T> matches, String ref, java.util.function.Function<T, String> id) {
        if (matches.size() > 1) {
            throw new CliException("multiple containers match the ID prefix " + ref + ": "
                    + String.join(", ", matches.stream().map(id).toList()));
        }
        return matches.getFirst();
    }
}
