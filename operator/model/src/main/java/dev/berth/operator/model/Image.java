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
 * An image reference that Berth keeps resolved to a digest through the registry, and that node agents
 * pull ahead of need. Apps name it by {@code spec.imageRef} to follow its digest.
 */
@Group(Image.GROUP)
@Version(Image.VERSION)
@Kind("Image")
@Plural("images")
@ShortNames("img")
@Categories("berth")
@AdditionalPrinterColumn(
        name = "RESOLVED",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Resolved\")].status")
// As a DaemonSet shows its pods: how many nodes should hold the image, how many do.
@AdditionalPrinterColumn(
        name = "DESIRED",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.prePull.desired")
@AdditionalPrinterColumn(
        name = "PULLED",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.prePull.pulled")
@AdditionalPrinterColumn(
        name = "AGE",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class Image extends CustomResource<ImageSpec, ImageStatus> implements Namespaced {
    public static final String GROUP = "berth.dev";
    public static final String VERSION = "v1alpha1";
}
