package dev.berth.operator.app;

import dev.berth.operator.model.App;
import dev.berth.operator.model.Image;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What else wakes an App besides its own objects: the Image it names (a new digest rolls it out) and its
 * pods (so the status says at once why they are not ready).
 */
final class AppEventSources {
    private static final String BY_IMAGE_REF = "berth.dev/imageRef";

    List<EventSource<?, App>> create(EventSourceContext<App> context) {
        context.getPrimaryCache()
                .addIndexer(BY_IMAGE_REF, app -> imageKey(app) == null ? List.of() : List.of(imageKey(app)));

        var images = InformerEventSourceConfiguration.from(Image.class, App.class)
                .withName("app-images")
                .withSecondaryToPrimaryMapper((Image image) -> context
                        .getPrimaryCache()
                        .byIndex(
                                BY_IMAGE_REF,
                                image.getMetadata().getNamespace() + "/"
                                        + image.getMetadata().getName())
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<App>) app -> imageKey(app) == null
                        ? Set.of()
                        : Set.of(new ResourceID(
                                app.getSpec().getImageRef(), app.getMetadata().getNamespace())))
                .build();

        var pods = InformerEventSourceConfiguration.from(Pod.class, App.class)
                .withName("app-pods")
                .withLabelSelector(AppLabels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper((Pod pod) -> {
                    var labels = pod.getMetadata().getLabels();
                    String app = labels == null ? null : labels.get(AppLabels.NAME);
                    return app == null
                            ? Set.of()
                            : Set.of(new ResourceID(app, pod.getMetadata().getNamespace()));
                })
                .build();

        return List.of(new InformerEventSource<>(images, context), new InformerEventSource<>(pods, context));
    }

    private static String imageKey(App app) {
        String ref = app.getSpec() == null ? null : app.getSpec().getImageRef();
        return ref == null || ref.isBlank() ? null : app.getMetadata().getNamespace() + "/" + ref;
    }
}
