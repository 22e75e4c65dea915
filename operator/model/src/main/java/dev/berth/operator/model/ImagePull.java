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
 * One node's pre-pull of one {@link Image}: written only by that node's agent, owned by the Image (so it goes when
 * the Image goes), read by the operator to write the Image's {@code status.prePull}. One object per (Image, node)
 * keeps every writer on its own object and the Image's size independent of the cluster's.
 */
@Group(Image.GROUP)
@Version(Image.VERSION)
@Kind("ImagePull")
@Plural("imagepulls")
@ShortNames("imgpull")
@Categories("berth")
@AdditionalPrinterColumn(name = "IMAGE", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.image")
@AdditionalPrinterColumn(name = "NODE", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.node")
@AdditionalPrinterColumn(name = "PULLED", type = AdditionalPrinterColumn.Type.BOOLEAN, jsonPath = ".status.pulled")
@AdditionalPrinterColumn(
        name = "AGE",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class ImagePull extends CustomResource<ImagePullSpec, ImagePullStatus> implements Namespaced {}
