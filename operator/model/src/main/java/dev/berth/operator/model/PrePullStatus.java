package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The pre-pull of an Image over the nodes its selector picks, summed from their {@link ImagePull}s: counts of every
 * node, and by name only the first {@value #NODES_LISTED} that failed or are still pending (failed first), so the
 * Image stays small on any cluster.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrePullStatus {
    public static final int NODES_LISTED = 20;

    // nodes the selector picks
    private Integer desired;
    // of those, nodes that pulled status.digest
    private Integer pulled;
    private Integer failed;
    // neither pulled nor failed yet (no report, or a report of an older digest)
    private Integer pending;
    private List<PrePullNode> nodes;

    public Integer getDesired() {
        return desired;
    }

    public void setDesired(Integer desired) {
        this.desired = desired;
    }

    public Integer getPulled() {
        return pulled;
    }

    public void setPulled(Integer pulled) {
        this.pulled = pulled;
    }

    public Integer getFailed() {
        return failed;
    }

    public void setFailed(Integer failed) {
        this.failed = failed;
    }

    public Integer getPending() {
        return pending;
    }

    public void setPending(Integer pending) {
        this.pending = pending;
    }

    public List<PrePullNode> getNodes() {
        return nodes;
    }

    public void setNodes(List<PrePullNode> nodes) {
        this.nodes = nodes;
    }
}
