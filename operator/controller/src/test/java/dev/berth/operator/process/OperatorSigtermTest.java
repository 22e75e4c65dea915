package dev.berth.operator.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.testing.MockLeases;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as a pod runs it: {@code OperatorMain operator} in its own JVM, stopped by SIGTERM as the kubelet
 * stops a pod. Its shutdown hook must give the lease up before the JVM exits, so that the standby leads within
 * seconds instead of at the lease's expiry.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorSigtermTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    /** The standby's retry (2 s plus up to 120 % jitter) with room for a loaded machine; expiry would take 15 s. */
    private static final Duration TAKEOVER = Duration.ofSeconds(6);

    @TempDir
    Path tmp;

    private Process leader;
    private OperatorProcess standby;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (leader != null && leader.isAlive()) {
            leader.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (standby != null) {
            standby.close();
        }
        client.leases().inAnyNamespace().delete();
    }

    @Test
    void sigtermReleasesTheLeaseBeforeExitSoTheStandbyLeadsWithinSeconds() throws Exception {
        allowLeases();
        Path log = tmp.resolve("operator.log");
        leader = operatorJvm("replica-jvm", log);
        await("the operator JVM holds the lease", Duration.ofSeconds(60), () -> {
            if (!leader.isAlive()) {
                throw new AssertionError("operator exited with " + leader.exitValue() + ": " + read(log));
            }
            return "replica-jvm".equals(holder());
        });
        standby = new OperatorProcess(
                Mode.OPERATOR,
                OperatorSettings.defaults("replica-b"),
                server.createClient(),
                (mode, c, settings) -> mode == Mode.OPERATOR ? List.of(new ConfigMapCountingReconciler(c)) : List.of(),
                () -> {});
        standby.start();

        leader.destroy(); // SIGTERM
        assertThat(leader.waitFor(20, TimeUnit.SECONDS))
                .as("the operator exits after SIGTERM")
                .isTrue();
        assertThat(read(log)).contains("replica-jvm released the leader lease");
        await(
                "replica-b takes over the released lease",
                TAKEOVER,
                () -> standby.isLeader() && "replica-b".equals(holder()));
    }

    /** {@code java OperatorMain operator}, pointed at the mock server by system properties alone. */
    private Process operatorJvm(String identity, Path log) throws IOException {
        String master = client.getConfiguration().getMasterUrl();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dkubernetes.master=" + master,
                        "-Dkubernetes.namespace=" + client.getNamespace(),
                        "-Dkubernetes.trust.certificates=true",
                        "-Dkubernetes.auth.tryKubeConfig=false",
                        "-Dkubernetes.auth.tryServiceAccount=false",
                        OperatorMain.class.getName(),
                        "operator",
                        "--port",
                        "0",
                        "--identity",
                        identity,
                        // the Fabric8 mock server answers server-side apply with 415
                        "--server-side-apply",
                        "false")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // Nothing from the caller's environment may point it at a real cluster.
        builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("KUBECONFIG"));
        return builder.start();
    }

    private static void allowLeases() {
        MockLeases.allow(server);
    }

    private String holder() {
        Lease lease = client.leases()
                .inNamespace(client.getNamespace())
                .withName(OperatorSettings.DEFAULT_LEASE_NAME)
                .get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
