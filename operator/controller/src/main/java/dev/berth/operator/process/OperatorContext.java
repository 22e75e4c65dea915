package dev.berth.operator.process;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What a reconciler may take in its constructor: the process's one Kubernetes client and its settings
 * (the default RuntimeClass, the node name and CRI socket of a node agent).
 */
public record OperatorContext(KubernetesClient client, OperatorSettings settings) {}
