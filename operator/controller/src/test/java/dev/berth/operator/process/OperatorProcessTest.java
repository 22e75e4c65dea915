package dev.berth.operator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.operator.testing.MockLeases;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator process against Fabric8's mock API server in CRUD mode: lease, endpoints, graceful stop. */
@EnableKubernetesMockClient(crud = true)
class OperatorProcessTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final String LEASE = OperatorSettings.DEFAULT_LEASE_NAME;
    private static final Duration TAKEOVER = Duration.ofSeconds(6);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<OperatorProcess> processes = new ArrayList<>();
    private final AtomicInteger lostLeadership = new AtomicInteger();
    private final Controllers registry =
            (mode, c, settings) -> mode == Mode.OPERATOR ? List.of(new ConfigMapCountingReconciler(c)) : List.of();
    private final Controllers agents =
            (mode, c, settings) -> mode == Mode.NODE_AGENT ? List.of(new ConfigMapCountingReconciler(c)) : List.of();

    @BeforeEach
    void allowLeases() {
        MockLeases.allow(server);
    }

    @AfterEach
    void stopEverything() {
        processes.forEach(OperatorProcess::close);
        client.leases().inAnyNamespace().delete();
        client.configMaps().inAnyNamespace().delete();
    }

    @Test
    void operatorTakesTheLeaseAndReconcilesRegisteredControllers() throws Exception {
        OperatorProcess operator = start("replica-a");

        awaitTrue("replica-a holds the lease", () -> "replica-a".equals(holder()));
        Lease lease = client.leases()
                .inNamespace(client.getNamespace())
                .withName(LEASE)
                .get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
        awaitTrue("leader", operator::isLeader);

        client.configMaps()
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("c1")
                        .endMetadata()
                        .addToData("k", "v")
                        .build())
                .create();
        awaitTrue(
                "the registered controller reconciled the ConfigMap",
                () -> operator.metrics().reconciliations(ConfigMapCountingReconciler.NAME) >= 1);
        assertThat(lostLeadership).hasValue(0);
    }

    @Test
    void healthAndMetricsEndpointsAnswer() throws Exception {
        OperatorProcess operator = start("replica-a");
        awaitTrue("leader", operator::isLeader);
        awaitTrue("ready", () -> status(operator, "/readyz") == 200);

        assertThat(get(operator, "/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get(operator, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("# TYPE berth_operator_reconciliations_total counter", "berth_operator_leader 1");
        assertThat(get(operator, "/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void secondReplicaStandsByAndTakesOverWhenTheLeaderStops() throws Exception {
        OperatorProcess first = start("replica-a");
        awaitTrue("replica-a leads", first::isLeader);
        OperatorProcess second = start("replica-b");

        awaitTrue("standby ready", () -> status(second, "/readyz") == 200);
        assertThat(second.isLeader()).isFalse();
        assertThat(get(second, "/readyz").body()).contains("standby");
        assertThat(get(second, "/metrics").body()).contains("berth_operator_leader 0");

        first.close();
        assertThat(holder()).as("a graceful stop empties the lease's holder").isNull();
        // The standby retries every 2 s plus up to 120 % jitter, so it takes a released lease within 4.4 s (the
        // bound leaves room for a loaded machine); a lease left to run out would take its 15 s.
        awaitTrue(
                "replica-b takes over the released lease",
                TAKEOVER,
                () -> second.isLeader() && "replica-b".equals(holder()));
        assertThat(lostLeadership).as("a graceful stop is not a lost lease").hasValue(0);
    }

    @Test
    void standbyWaitsForTheLeaseOfAVanishedLeaderToRunOutThenTakesIt() throws Exception {
        // A leader killed without its graceful stop: its lease, last renewed 11 of 15 s ago, runs out in 4 s.
        ZonedDateTime renewed = ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(11);
        ZonedDateTime expiry = renewed.plusSeconds(15);
        client.leases()
                .resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName(LEASE)
                        .withNamespace(client.getNamespace())
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity("replica-killed")
                        .withLeaseDurationSeconds(15)
                        .withAcquireTime(renewed)
                        .withRenewTime(renewed)
                        .endSpec()
                        .build())
                .create();

        OperatorProcess standby = start("replica-b");

        awaitTrue("replica-b takes the expired lease", () -> standby.isLeader() && "replica-b".equals(holder()));
        Lease lease = client.leases()
                .inNamespace(client.getNamespace())
                .withName(LEASE)
                .get();
        assertThat(lease.getSpec().getAcquireTime()).as("not before it ran out").isAfterOrEqualTo(expiry);
        assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
        assertThat(lostLeadership).hasValue(0);
    }

    @Test
    void closeStopsWithinSecondsAndFreesThePort() throws Exception {
        OperatorProcess operator = start("replica-a");
        awaitTrue("leader", operator::isLeader);
        int port = operator.healthPort();

        long t0 = System.nanoTime();
        operator.close();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
        operator.close(); // twice is harmless
        assertThat(lostLeadership).hasValue(0);
    }

    @Test
    void emptyRegistryIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> new OperatorProcess(
                        Mode.OPERATOR,
                        OperatorSettings.defaults("x"),
                        client,
                        (mode, c, settings) -> List.of(),
                        () -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no reconcilers are registered for 'operator'");
    }

    @Test
    void nodeAgentNeedsItsNodeName() {

        assertThatThrownBy(() ->
                        new OperatorProcess(Mode.NODE_AGENT, OperatorSettings.defaults("x"), client, agents, () -> {}))
                .hasMessageContaining("NODE_NAME");
    }

    @Test
    void nodeAgentRunsWithoutElection() throws Exception {
        OperatorProcess agent = new OperatorProcess(
                Mode.NODE_AGENT,
                OperatorSettings.defaults("node-1").withNodeName("node-1"),
                server.createClient(),
                agents,
                lostLeadership::incrementAndGet);
        processes.add(agent);
        agent.start();

        awaitTrue("ready", () -> status(agent, "/readyz") == 200);
        assertThat(agent.isLeader()).isTrue();
        assertThat(client.leases().inAnyNamespace().list().getItems()).isEmpty();
    }

    private OperatorProcess start(String identity) throws IOException {
        OperatorProcess process = new OperatorProcess(
                Mode.OPERATOR,
                OperatorSettings.defaults(identity),
                server.createClient(),
                registry,
                lostLeadership::incrementAndGet);
        processes.add(process);
        process.start();
        return process;
    }

    private String holder() {
        Lease lease = client.leases()
                .inNamespace(client.getNamespace())
                .withName(LEASE)
                .get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private int status(OperatorProcess process, String path) {
        try {
            return get(process, path).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(OperatorProcess process, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.healthPort() + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        awaitTrue(what, TIMEOUT, condition);
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
