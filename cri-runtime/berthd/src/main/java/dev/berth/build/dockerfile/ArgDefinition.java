package dev.berth.build.dockerfile;

import java.util.Optional;

/** One name of an ARG line, with its default; {@code defaultValue} is null when the line gave none. */
public record ArgDefinition(String name, String defaultValue) {

    public Optional<String> defaultIfAny() {
        return Optional.ofNullable(defaultValue);
    }
}
