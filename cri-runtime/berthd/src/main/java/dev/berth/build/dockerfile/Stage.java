package dev.berth.build.dockerfile;

import java.util.List;

/** One build stage: its FROM and the instructions up to the next FROM. {@code name} is empty when unnamed. */
public record Stage(int index, String name, Instruction.From from, List<Instruction> instructions) {

    public Stage {
        instructions = List.copyOf(instructions);
    }

    /** How errors and logs name the stage: its name, else its index. */
    public String label() {
        return name.isEmpty() ? Integer.toString(index) : name;
    }
}
