package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Quantity;

/** A scratch directory that lives as long as the pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EmptyDirSource {
    private Quantity sizeLimit;

    public Quantity getSizeLimit() {
        return sizeLimit;
    }

    public void setSizeLimit(Quantity sizeLimit) {
        this.sizeLimit = sizeLimit;
    }
}
