package dev.berth.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A long-running application: Berth turns it into a Deployment pinned to an image digest, a Service for
 * its ports and, when asked, a HorizontalPodAutoscaler, all owned by the App.
 */
@Group(Image.GROUP)
@Version(Image.VERSION)
@Kind("App")
@Plural("apps")
@ShortNames("bapp")
@Categories("berth")
@AdditionalPrinterColumn(
        name = "AGE",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class App extends CustomResource<AppSpec, AppStatus> implements Namespaced {}
