package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Which nodes pull an {@link Image} ahead of need; an empty selector means every node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrePull {
    private Map<String, String> nodeSelector;

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }
}
