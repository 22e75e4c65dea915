package dev.berth.operator.process;

import java.util.Arrays;
import java.util.Optional;

/** The two ways the operator jar runs: one elected operator per cluster, or one node agent per node. */
public enum Mode {
    OPERATOR("operator"),
    NODE_AGENT("node-agent");

    private final String command;

    Mode(String command) {
        this.command = command;
    }

    public String command() {
        return command;
    }

    public static Optional<Mode> ofCommand(String command) {
        return Arrays.stream(values()).filter(m -> m.command.equals(command)).findFirst();
    }
}
