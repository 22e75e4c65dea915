package dev.berth.operator.nodeagent;

import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a node agent watches besides Images: its own Node (a label change may select or deselect it for every
 * pre-pulled Image) and its own ImagePulls (by node label), so it reads neither from the API server per reconcile.
 */
final class NodeAgentEventSources {
    static final String NODE = "agent-node";
    static final String PULLS = "agent-pulls";

    private final String nodeName;

    NodeAgentEventSources(String nodeName) {
        this.nodeName = nodeName;
    }

    List<EventSource<?, Image>> create(EventSourceContext<Image> context) {
        var node = InformerEventSourceConfiguration.from(Node.class, Image.class)
                .withName(NODE)
                .withWatchAllNamespaces()
                .withFieldSelector(new FieldSelector(List.of(new FieldSelector.Field("metadata.name", nodeName))))
                .withOnUpdateFilter((next, previous) -> !Objects.equals(
                        next.getMetadata().getLabels(), previous.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper((Node n) -> context.getPrimaryCache()
                        .list(image ->
                                image.getSpec() != null && image.getSpec().getPrePull() != null)
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();

        var pulls = InformerEventSourceConfiguration.from(ImagePull.class, Image.class)
                .withName(PULLS)
                .withLabelSelector(ImagePulls.NODE_LABEL + "=" + ImagePulls.nodeLabel(nodeName))
                .withSecondaryToPrimaryMapper((ImagePull pull) -> pull.getSpec() == null
                                || !nodeName.equals(pull.getSpec().getNode())
                        ? Set.of()
                        : Set.of(new ResourceID(
                                pull.getSpec().getImage(), pull.getMetadata().getNamespace())))
                .build();

        return List.of(new InformerEventSource<>(node, context), new InformerEventSource<>(pulls, context));
    }
}
