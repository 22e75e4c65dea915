package dev.berth.cri.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.berth.cri.fuzz.CriCalls.Answer;
import dev.berth.cri.fuzz.FuzzRun.Fuzzed;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.CreateContainerResponse;
import dev.berth.cri.v1.KeyValue;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxResponse;
import dev.berth.cri.v1.StartContainerRequest;
import dev.berth.cri.v1.StopContainerRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated and mutated requests at every RuntimeService RPC over berthd's real socket (berthd as
 * its own process): each answer is OK or a precise code, never INTERNAL or UNKNOWN and never a hang; berthd stays
 * up and within its memory; nothing is left at the end. Tries and seed: {@code -Dberth.fuzz.tries} and {@code
 * -Dberth.fuzz.seed} (see {@link FuzzBudget}); the seed is printed at the start and in each failure.
 */
class RuntimeServicePropertyTest {

    /** Calls that read, or change only the target: cheap, so they get most of the tries. */
    private static final List<String> QUERIES = List.of(
            "Version",
            "Status",
            "RuntimeConfig",
            "PodSandboxStatus",
            "ListPodSandbox",
            "StreamPodSandboxes",
            "ListContainers",
            "StreamContainers",
            "ContainerStatus",
            "UpdateContainerResources",
            "ReopenContainerLog",
            "Exec",
            "Attach",
            "PortForward",
            "ContainerStats",
            "ListContainerStats",
            "StreamContainerStats",
            "PodSandboxStats",
            "ListPodSandboxStats",
            "StreamPodSandboxStats",
            "CheckpointContainer",
            "ListMetricDescriptors",
            "ListPodSandboxMetrics",
            "StreamPodSandboxMetrics",
            "UpdatePodSandboxResources");

    private static final List<String> CONTAINER_LIFECYCLE =
            List.of("StartContainer", "StopContainer", "RemoveContainer");
    private static final List<String> POD_LIFECYCLE = List.of("StopPodSandbox", "RemovePodSandbox");
    private static final List<String> OWN_PROPERTIES =
            List.of("RunPodSandbox", "CreateContainer", "ExecSync", "UpdateRuntimeConfig", "GetContainerEvents");

    /** GetContainerEvents never ends: it is read this long, and its end at this deadline is the expected one. */
    private static final long EVENTS_MILLIS = 300;

    private static FuzzRun run;
    private static FuzzBudget budget;

    @BeforeAll
    static void start() throws Exception {
        budget = FuzzBudget.fromSystemProperties("RuntimeService");
        run = new FuzzRun(FuzzNode.start("berthfuzzrt"));
        warmUp();
        run.takeBaseline();
    }

    /** Requests of nearly 16 MiB, so that the baseline is taken with berthd's heap and buffers grown for them. */
    private static void warmUp() {
        ListContainersRequest.Builder big = ListContainersRequest.newBuilder();
        for (int i = 0; i < 14_000; i++) {
            big.getFilterBuilder().putLabelSelector("k" + i, "v".repeat(1000));
        }
        for (int i = 0; i < 3; i++) {
            run.send("ListContainers", "(warm-up: 14 MB label selector)", big.build(), FuzzNode.CALL_DEADLINE_MILLIS);
            run.send(
                    "PodSandboxStatus",
                    "(warm-up: 1 MiB id)",
                    PodSandboxStatusRequest.newBuilder()
                            .setPodSandboxId("a".repeat(1 << 20))
                            .build(),
                    FuzzNode.CALL_DEADLINE_MILLIS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    /**
     * Runs {@code each} on a fuzzed request of {@code rpcs} for the property's share of the tries, the targets
     * made again before each try; every answer must have been precise.
     */
    private static void property(String name, int share, List<String> rpcs, Property each) {
        Gen<Fuzzed> requests = run.of(rpcs);
        budget.check(
                name,
                share,
                random -> {
                    run.node().ensureTargets();
                    each.run(requests.next(random));
                },
                run::assertPrecise);
    }

    @FunctionalInterface
    private interface Property {
        void run(Fuzzed fuzzed) throws Exception;
    }

    @Test
    void everyRuntimeServiceRpcIsFuzzed() {
        Set<String> fuzzed = new HashSet<>(QUERIES);
        fuzzed.addAll(CONTAINER_LIFECYCLE);
        fuzzed.addAll(POD_LIFECYCLE);
        fuzzed.addAll(OWN_PROPERTIES);
        assertThat(fuzzed).containsExactlyInAnyOrderElementsOf(CriCalls.runtimeRpcs());
        assertThat(CriCalls.runtimeRpcs()).allMatch(run.requests()::covers);
    }

    @Test
    void queriesAnswerPrecisely() {
        property("queriesAnswerPrecisely", 500, QUERIES, fuzzed -> {
            run.send(fuzzed, run.request(fuzzed));
        });
    }

    /** Each try takes a container of its own, so the target stays for the other tries. */
    @Test
    void containerLifecycleAnswersPrecisely() {
        property("containerLifecycleAnswersPrecisely", 25, CONTAINER_LIFECYCLE, fuzzed -> {
            run.node().newVictimContainer();
            try {
                run.send(fuzzed, run.request(fuzzed));
            } finally {
                run.node().removeVictims();
            }
        });
    }

    @Test
    void podLifecycleAnswersPrecisely() {
        property("podLifecycleAnswersPrecisely", 10, POD_LIFECYCLE, fuzzed -> {
            run.node().newVictimPod();
            try {
                run.send(fuzzed, run.request(fuzzed));
            } finally {
                run.node().removeVictims();
            }
        });
    }

    /** A pod a mutated request started is removed at once; its cgroup must go with it. */
    @Test
    void runPodSandboxAnswersPrecisely() {
        property("runPodSandboxAnswersPrecisely", 25, List.of("RunPodSandbox"), fuzzed -> {
            RunPodSandboxRequest request = (RunPodSandboxRequest) run.request(fuzzed);
            Answer answer = run.send(fuzzed, request);
            if (answer.ok()) {
                String id = ((RunPodSandboxResponse) answer.response()).getPodSandboxId();
                String parent = request.getConfig().getLinux().getCgroupParent();
                run.node().podCgroupMade(parent.chars().allMatch(c -> c == '/') ? "/berth/" + id : parent);
                run.node().removePod(id);
            }
        });
    }

    /** A container a mutated request created is started (its answer must be precise too), then removed. */
    @Test
    void createContainerAnswersPrecisely() {
        property("createContainerAnswersPrecisely", 30, List.of("CreateContainer"), fuzzed -> {
            Message request = run.request(fuzzed);
            Answer answer = run.send(fuzzed, request);
            if (answer.ok()) {
                String id = ((CreateContainerResponse) answer.response()).getContainerId();
                run.send(
                        "StartContainer",
                        "(start of) " + fuzzed.input(),
                        StartContainerRequest.newBuilder().setContainerId(id).build(),
                        FuzzNode.CALL_DEADLINE_MILLIS);
                run.send(
                        "StopContainer",
                        "(stop of) " + fuzzed.input(),
                        StopContainerRequest.newBuilder()
                                .setContainerId(id)
                                .setTimeout(0)
                                .build(),
                        FuzzNode.CALL_DEADLINE_MILLIS);
                run.node().removeContainer(id);
            }
        });
    }

    @Test
    void execSyncAnswersPrecisely() {
        property("execSyncAnswersPrecisely", 30, List.of("ExecSync"), fuzzed -> {
            run.send(fuzzed, run.request(fuzzed));
        });
    }

    /** An accepted pod CIDR is the node's own subnet cut smaller (see the confinement); it is set back each time. */
    @Test
    void updateRuntimeConfigAnswersPrecisely() {
        property("updateRuntimeConfigAnswersPrecisely", 20, List.of("UpdateRuntimeConfig"), fuzzed -> {
            Answer answer = run.send(fuzzed, run.request(fuzzed));
            if (answer.ok()) {
                run.send(
                        "UpdateRuntimeConfig",
                        "(restore)",
                        run.requests().of("UpdateRuntimeConfig"),
                        FuzzNode.CALL_DEADLINE_MILLIS);
            }
        });
    }

    /** The stream is read briefly: it ends at the client's deadline, as kubelet's ends when it stops. */
    @Test
    void containerEventsAnswerPrecisely() {
        property("containerEventsAnswerPrecisely", 5, List.of("GetContainerEvents"), fuzzed -> {
            run.send(fuzzed.rpc(), fuzzed.input(), run.request(fuzzed), EVENTS_MILLIS);
        });
    }

    /** A request of 100k env entries (just under 16 MiB) is refused or served like any other. */
    @Test
    void hugeEnvListAnswersPrecisely() {
        run.node().ensureTargets();
        CreateContainerRequest.Builder request =
                ((CreateContainerRequest) run.requests().of("CreateContainer")).toBuilder();
        for (int i = 0; i < 100_000; i++) {
            request.getConfigBuilder()
                    .addEnvs(KeyValue.newBuilder().setKey("K" + i).setValue("v".repeat(100)));
        }
        Answer answer =
                run.send("CreateContainer", "(100k env entries)", request.build(), FuzzNode.CALL_DEADLINE_MILLIS);
        if (answer.ok()) {
            run.node().removeContainer(((CreateContainerResponse) answer.response()).getContainerId());
        }
        run.assertPrecise();
    }
}
