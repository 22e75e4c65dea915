package dev.berth.build.dockerfile;

import java.util.List;

/** The process of RUN, CMD, ENTRYPOINT or HEALTHCHECK: a shell string or an exec (JSON) argument list. */
public sealed interface Command {

    /** Shell form, run through the stage's SHELL; the builder never expands variables in it. */
    record Shell(String script) implements Command {}

    /** Exec form, as the JSON array gave it; no shell, no expansion. */
    record Exec(List<String> argv) implements Command {
        public Exec {
            argv = List.copyOf(argv);
        }
    }
}
