package dev.berth.e2e.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Installs the committed CRDs from crds/, exactly what the chart ships, so the tests apply the real schema. */
public final class CrdInstaller {
    private final KubernetesClient client;

    public CrdInstaller(KubernetesClient client) {
        this.client = client;
    }

    /** Creates or updates every CRD file; returns the CRD names. */
    public List<String> install(List<Path> crdFiles) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path file : crdFiles) {
            CustomResourceDefinition crd;
            try (InputStream in = Files.newInputStream(file)) {
                crd = client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .load(in)
                        .item();
            }
            if (crd == null || crd.getMetadata() == null) {
                throw new IllegalStateException(file + " holds no CustomResourceDefinition");
            }
            client.resource(crd).createOr(NonDeletingOperation::update);
            names.add(crd.getMetadata().getName());
        }
        return names;
    }

    /** On a real API server a new CRD serves only once Established; the mock server has no such condition. */
    public void awaitEstablished(List<String> names, Duration timeout) {
        for (String name : names) {
            Await.until("CRD " + name + " to be Established", timeout, () -> {
                CustomResourceDefinition crd = client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(name)
                        .get();
                if (crd == null) {
                    return "absent";
                }
                boolean established = crd.getStatus() != null
                        && crd.getStatus().getConditions() != null
                        && crd.getStatus().getConditions().stream()
                                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
                return established
                        ? null
                        : "conditions "
                                + (crd.getStatus() == null
                                        ? "none"
                                        : crd.getStatus().getConditions());
            });
        }
    }
}
