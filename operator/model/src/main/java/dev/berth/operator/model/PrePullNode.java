package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A node that has not pulled the Image's digest: {@code Failed} with its runtime's message, or {@code Pending}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrePullNode {
    public static final String FAILED = "Failed";
    public static final String PENDING = "Pending";

    private String node;
    private String state;
    private String message;

    public PrePullNode() {}

    public PrePullNode(String node, String state, String message) {
        this.node = node;
        this.state = state;
        this.message = message;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
