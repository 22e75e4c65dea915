package dev.berth.cli.container;

import dev.berth.cri.v1.ContainerState;

/** A container's state in docker's words. */
public enum State {
    CREATED("created"),
    RUNNING("running"),
    EXITED("exited"),
    UNKNOWN("unknown");

    private final String word;

    State(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    static State of(ContainerState state) {
        return switch (state) {
            case CONTAINER_CREATED -> CREATED;
            case CONTAINER_RUNNING -> RUNNING;
            case CONTAINER_EXITED -> EXITED;
            default -> UNKNOWN;
        };
    }
}
