package dev.berth.e2e.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of kube-controller-manager the mock server lacks, done the simplest correct way: the Deployment
 * controller (every Deployment whose status lags its generation becomes fully rolled out and ready) and the
 * garbage collector (objects owned by a berth.dev resource that no longer exists are deleted). Polls a namespace.
 */
public final class DeploymentSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeploymentSimulator.class);
    private static final long PERIOD_MILLIS = 100;

    private final KubernetesClient client;
    private final String namespace;
    private final AtomicInteger statusWrites = new AtomicInteger();
    private final AtomicInteger collected = new AtomicInteger();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Thread loop;
    private volatile boolean running = true;

    public DeploymentSimulator(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.loop = Thread.ofVirtual().name("deployment-simulator-" + namespace).start(this::run);
    }

    /** How many Deployment statuses it wrote: one per rollout it completed. */
    public int statusWrites() {
        return statusWrites.get();
    }

    public int collected() {
        return collected.get();
    }

    /** The last API error, for failure messages; null when every pass succeeded. */
    public String lastError() {
        return lastError.get();
    }

    private void run() {
        while (running) {
            try {
                completeRollouts();
                collectGarbage();
            } catch (RuntimeException e) {
                if (running) {
                    lastError.set(e.toString());
                    log.debug("simulator pass in {} failed: {}", namespace, e.toString());
                }
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void completeRollouts() {
        for (Deployment d :
                client.apps().deployments().inNamespace(namespace).list().getItems()) {
            if (d.getMetadata().getDeletionTimestamp() != null || isRolledOut(d)) {
                continue;
            }
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            String now = Instant.now().toString();
            client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(d.getMetadata().getName())
                    .editStatus(current -> {
                        current.setStatus(new DeploymentStatusBuilder()
                                .withObservedGeneration(current.getMetadata().getGeneration())
                                .withReplicas(replicas)
                                .withUpdatedReplicas(replicas)
                                .withReadyReplicas(replicas)
                                .withAvailableReplicas(replicas)
                                .withConditions(
                                        new DeploymentConditionBuilder()
                                                .withType("Available")
                                                .withStatus("True")
                                                .withReason("MinimumReplicasAvailable")
                                                .withLastUpdateTime(now)
                                                .withLastTransitionTime(now)
                                                .build(),
                                        new DeploymentConditionBuilder()
                                                .withType("Progressing")
                                                .withStatus("True")
                                                .withReason("NewReplicaSetAvailable")
                                                .withLastUpdateTime(now)
                                                .withLastTransitionTime(now)
                                                .build())
                                .build());
                        return current;
                    });
            statusWrites.incrementAndGet();
        }
    }

    private static boolean isRolledOut(Deployment d) {
        if (d.getStatus() == null) {
            return false;
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return Objects.equals(
                        d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration())
                && Objects.equals(d.getStatus().getReadyReplicas(), replicas)
                && Objects.equals(d.getStatus().getUpdatedReplicas(), replicas);
    }

    private void collectGarbage() {
        Set<String> owners = new java.util.HashSet<>();
        client.genericKubernetesResources("berth.dev/v1alpha1", "App")
                .inNamespace(namespace)
                .list()
                .getItems()
                .forEach(a -> owners.add(a.getMetadata().getUid()));
        client.genericKubernetesResources("berth.dev/v1alpha1", "Image")
                .inNamespace(namespace)
                .list()
                .getItems()
                .forEach(i -> owners.add(i.getMetadata().getUid()));
        List<HasMetadata> candidates = new ArrayList<>();
        candidates.addAll(
                client.apps().deployments().inNamespace(namespace).list().getItems());
        candidates.addAll(client.services().inNamespace(namespace).list().getItems());
        candidates.addAll(client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .list()
                .getItems());
        for (HasMetadata object : candidates) {
            List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
            if (refs == null || refs.isEmpty()) {
                continue;
            }
            Set<String> berthOwners = refs.stream()
                    .filter(r -> r.getApiVersion().startsWith("berth.dev/"))
                    .map(OwnerReference::getUid)
                    .collect(Collectors.toSet());
            if (!berthOwners.isEmpty() && berthOwners.stream().noneMatch(owners::contains)) {
                client.resource(object).delete();
                collected.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
