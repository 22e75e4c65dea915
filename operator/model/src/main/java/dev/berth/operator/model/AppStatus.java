package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the App's Deployment and Service last looked like. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppStatus {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    @PrinterColumn(name = "READY")
    private Integer readyReplicas;
    // the image the App names: spec.image, or the spec.image of the Image that spec.imageRef names
    @PrinterColumn(name = "IMAGE")
    private String image;
    // the digest the Deployment is pinned to
    @PrinterColumn(name = "DIGEST")
    private String imageDigest;
    // http://<service>.<namespace>.svc.cluster.local:<port> of the first port
    private String url;
    // types READY, PROGRESSING and DEGRADED
    private List<Condition> conditions;
    private Long observedGeneration;

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getImageDigest() {
        return imageDigest;
    }

    public void setImageDigest(String imageDigest) {
        this.imageDigest = imageDigest;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
}
