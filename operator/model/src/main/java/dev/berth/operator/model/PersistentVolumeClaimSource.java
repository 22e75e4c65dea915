package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** An existing PersistentVolumeClaim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PersistentVolumeClaimSource {
    @Required
    private String claimName;

    public String getClaimName() {
        return claimName;
    }

    public void setClaimName(String claimName) {
        this.claimName = claimName;
    }
}
