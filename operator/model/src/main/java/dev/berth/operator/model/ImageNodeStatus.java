package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One node's pre-pull of an {@link Image}, as its node agent reported it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageNodeStatus {
    private String node;
    private String digest;
    private Boolean pulled;
    // the CRI runtime's error when the pull failed
    private String message;
    // RFC 3339
    private String time;

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public Boolean getPulled() {
        return pulled;
    }

    public void setPulled(Boolean pulled) {
        this.pulled = pulled;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }
}
