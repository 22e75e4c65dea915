package dev.berth.operator.image;

import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import io.fabric8.kubernetes.api.model.Node;
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
 * What wakes an Image besides its own changes: an ImagePull a node agent wrote (mapped to its Image by
 * {@code spec.image}), and a Node that appears, goes or changes its labels (mapped to every pre-pulled Image, since
 * any of them may select it). Kubelet's frequent Node status writes are filtered out.
 */
final class ImageEventSources {
    static final String PULLS = "image-pulls";
    static final String NODES = "image-nodes";

    List<EventSource<?, Image>> create(EventSourceContext<Image> context) {
        var pulls = InformerEventSourceConfiguration.from(ImagePull.class, Image.class)
                .withName(PULLS)
                .withSecondaryToPrimaryMapper((ImagePull pull) -> pull.getSpec() == null
                                || pull.getSpec().getImage() == null
                        ? Set.of()
                        : Set.of(new ResourceID(
                                pull.getSpec().getImage(), pull.getMetadata().getNamespace())))
                .build();

        var nodes = InformerEventSourceConfiguration.from(Node.class, Image.class)
                .withName(NODES)
                .withWatchAllNamespaces()
                .withOnUpdateFilter((next, previous) -> !Objects.equals(
                        next.getMetadata().getLabels(), previous.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper((Node node) -> context.getPrimaryCache()
                        .list(image ->
                                image.getSpec() != null && image.getSpec().getPrePull() != null)
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();

        return List.of(new InformerEventSource<>(pulls, context), new InformerEventSource<>(nodes, context));
    }
}
