package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the registry said about an {@link Image}, and how far its pre-pull is (from the nodes' {@link ImagePull}s). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageStatus {
    public static final String RESOLVED = "Resolved";
    public static final String PULLED = "Pulled";

    // the manifest (or index) digest the tag resolved to
    @PrinterColumn(name = "DIGEST")
    private String digest;
    // RFC 3339 time of the last successful resolution
    private String resolvedAt;
    // bytes: config plus layers for the node platform
    private Long size;
    // "os/arch[/variant]" of every manifest in an index, or the single image's
    private List<String> platforms;
    // absent without spec.prePull
    private PrePullStatus prePull;
    // types RESOLVED and PULLED
    private List<Condition> conditions;
    private Long observedGeneration;

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getResolvedAt() {
        return resolvedAt;
    }

    public void setResolvedAt(String resolvedAt) {
        this.resolvedAt = resolvedAt;
    }

    public Long getSize() {
        return size;
    }

    public void setSize(Long size) {
        this.size = size;
    }

    public List<String> getPlatforms() {
        return platforms;
    }

    public void setPlatforms(List<String> platforms) {
        this.platforms = platforms;
    }

    public PrePullStatus getPrePull() {
        return prePull;
    }

    public void setPrePull(PrePullStatus prePull) {
        this.prePull = prePull;
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
