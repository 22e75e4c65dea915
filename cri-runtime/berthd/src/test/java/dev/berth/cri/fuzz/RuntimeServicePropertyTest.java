package dev.berth.cri.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.berth.cri.fuzz.CriCalls.Answer;
import dev.berth.cri.fuzz.FuzzBudget.Share;
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
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Thousands of generated and mutated requests at every RuntimeService RPC over berthd's real socket (berthd as
 * its own process): each answer is OK or a precise code, never INTERNAL or UNKNOWN and never a hang; berthd stays
 * up and within its memory; nothing is left at the end. Tries: {@code -Dberth.fuzz.tries} (see {@link FuzzBudget}),
 * the seed is in jqwik's report of each property.
 */
@AddLifecycleHook(FuzzBudget.class)
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

    @BeforeContainer
    static void start() throws Exception {
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

    @AfterContainer
    static void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @BeforeTry
    void targetsExist() {
        run.node().ensureTargets();
    }

    @AfterProperty
    void everyAnswerWasPrecise() {
        run.assertPrecise();
    }

    @Example
    void everyRuntimeServiceRpcIsFuzzed() {
        Set<String> fuzzed = new HashSet<>(QUERIES);
        fuzzed.addAll(CONTAINER_LIFECYCLE);
        fuzzed.addAll(POD_LIFECYCLE);
        fuzzed.addAll(OWN_PROPERTIES);
        assertThat(fuzzed).containsExactlyInAnyOrderElementsOf(CriCalls.runtimeRpcs());
        assertThat(CriCalls.runtimeRpcs()).allMatch(run.requests()::covers);
    }

    @Provide
    Arbitrary<Fuzzed> queries() {
        return run.of(QUERIES);
    }

    @Provide
    Arbitrary<Fuzzed> containerLifecycle() {
        return run.of(CONTAINER_LIFECYCLE);
    }

    @Provide
    Arbitrary<Fuzzed> podLifecycle() {
        return run.of(POD_LIFECYCLE);
    }

    @Provide
    Arbitrary<Fuzzed> runPodSandbox() {
        return run.of(List.of("RunPodSandbox"));
    }

    @Provide
    Arbitrary<Fuzzed> createContainer() {
        return run.of(List.of("CreateContainer"));
    }

    @Provide
    Arbitrary<Fuzzed> execSync() {
        return run.of(List.of("ExecSync"));
    }

    @Provide
    Arbitrary<Fuzzed> updateRuntimeConfig() {
        return run.of(List.of("UpdateRuntimeConfig"));
    }

    @Provide
    Arbitrary<Fuzzed> containerEvents() {
        return run.of(List.of("GetContainerEvents"));
    }

    @Property
    @Share(500)
    void queriesAnswerPrecisely(@ForAll("queries") Fuzzed fuzzed) {
        run.send(fuzzed, run.request(fuzzed));
    }

    /** Each try takes a container of its own, so the target stays for the other tries. */
    @Property
    @Share(25)
    void containerLifecycleAnswersPrecisely(@ForAll("containerLifecycle") Fuzzed fuzzed) {
        run.node().newVictimContainer();
        try {
            run.send(fuzzed, run.request(fuzzed));
        } finally {
            run.node().removeVictims();
        }
    }

    @Property
    @Share(10)
    void podLifecycleAnswersPrecisely(@ForAll("podLifecycle") Fuzzed fuzzed) {
        run.node().newVictimPod();
        try {
            run.send(fuzzed, run.request(fuzzed));
        } finally {
            run.node().removeVictims();
        }
    }

    /** A pod a mutated request started is removed at once; its cgroup must go with it. */
    @Property
    @Share(25)
    void runPodSandboxAnswersPrecisely(@ForAll("runPodSandbox") Fuzzed fuzzed) {
        RunPodSandboxRequest request = (RunPodSandboxRequest) run.request(fuzzed);
        Answer answer = run.send(fuzzed, request);
        if (answer.ok()) {
            String id = ((RunPodSandboxResponse) answer.response()).getPodSandboxId();
            String parent = request.getConfig().getLinux().getCgroupParent();
            run.node().podCgroupMade(parent.chars().allMatch(c -> c == '/') ? "/berth/" + id : parent);
            run.node().removePod(id);
        }
    }

    /** A container a mutated request created is started (its answer must be precise too), then removed. */
    @Property
    @Share(30)
    void createContainerAnswersPrecisely(@ForAll("createContainer") Fuzzed fuzzed) {
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
    }

    @Property
    @Share(30)
    void execSyncAnswersPrecisely(@ForAll("execSync") Fuzzed fuzzed) {
        run.send(fuzzed, run.request(fuzzed));
    }

    /** An accepted pod CIDR is the node's own subnet cut smaller (see the confinement); it is set back each time. */
    @Property
    @Share(20)
    void updateRuntimeConfigAnswersPrecisely(@ForAll("updateRuntimeConfig") Fuzzed fuzzed) {
        Answer answer = run.send(fuzzed, run.request(fuzzed));
        if (answer.ok()) {
            run.send(
                    "UpdateRuntimeConfig",
                    "(restore)",
                    run.requests().of("UpdateRuntimeConfig"),
                    FuzzNode.CALL_DEADLINE_MILLIS);
        }
    }

    /** The stream is read briefly: it ends at the client's deadline, as kubelet's ends when it stops. */
    @Property
    @Share(5)
    void containerEventsAnswerPrecisely(@ForAll("containerEvents") Fuzzed fuzzed) {
        run.send(fuzzed.rpc(), fuzzed.input(), run.request(fuzzed), EVENTS_MILLIS);
    }

    /** A request of 100k env entries (just under 16 MiB) is refused or served like any other. */
    @Example
    void hugeEnvListAnswersPrecisely() {
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
    }
}
