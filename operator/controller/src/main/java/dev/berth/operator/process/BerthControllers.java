package dev.berth.operator.process;

import dev.berth.image.manifest.Platform;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.app.AppReconciler;
import dev.berth.operator.app.TagDigests;
import dev.berth.operator.image.ImageReconciler;
import dev.berth.operator.image.ImageResolver;
import dev.berth.operator.image.PullSecrets;
import dev.berth.operator.nodeagent.CriImageClient;
import dev.berth.operator.nodeagent.ImagePullWriter;
import dev.berth.operator.nodeagent.NodeImageReconciler;
import dev.berth.operator.status.StatusWrites;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.util.List;

/**
 * Where every reconciler of the jar is built, and with what:
 * <pre>
 * operator:   RegistryClient(registries) ─▶ ImageResolver(+ PullSecrets, host platform) ─┬▶ ImageReconciler
 *                                                                                     └▶ TagDigests ─▶ AppReconciler
 * node-agent: CriImageClient(--cri-socket), PullSecrets, ImagePullWriter(--node-name) ─▶ NodeImageReconciler
 * </pre>
 * One registry client and one resolver serve Image resources and App tags alike, so a tag resolves the same way
 * (same mirrors, same plain-HTTP hosts) in both.
 */
public final class BerthControllers implements Controllers {
    private final RegistryConfig registries;
    private final Clock clock;

    /** @param registries the registry mirrors and plain-HTTP hosts, read once at start-up (RegistrySettings) */
    public BerthControllers(RegistryConfig registries, Clock clock) {
        this.registries = registries;
        this.clock = clock;
    }

    @Override
    public List<Reconciler<?>> create(Mode mode, KubernetesClient client, OperatorSettings settings) {
        PullSecrets pullSecrets = new PullSecrets(client);
        return switch (mode) {
            case OPERATOR -> {
                ImageResolver resolver =
                        new ImageResolver(new RegistryClient(registries), pullSecrets, Platform.host(), clock);
                yield List.of(
                        new ImageReconciler(resolver, clock, new StatusWrites(settings.serverSideApply())),
                        new AppReconciler(
                                settings.runtimeClassName(),
                                new TagDigests(resolver, TagDigests.DEFAULT_TTL, clock),
                                clock));
            }
            case NODE_AGENT ->
                List.of(new NodeImageReconciler(
                        settings.nodeName(),
                        new CriImageClient(settings.criSocket(), NodeImageReconciler.PULL_TIMEOUT),
                        pullSecrets,
                        new ImagePullWriter(client, settings.nodeName()),
                        clock));
        };
    }
}
