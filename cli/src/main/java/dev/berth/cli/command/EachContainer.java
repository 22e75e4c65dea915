package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.cri.Cri;
import java.util.List;

/**
 * One action on each named container, as docker's stop/start/restart do it: the name is printed when done, a
 * failure is reported and the rest still run; the exit code is the last failure's (1 when it names none).
 */
final class EachContainer {

    interface Action {
        /** {@code containers} looks a container up afresh, as one whose state the action changed needs. */
        void apply(String ref, Containers containers, Lifecycle lifecycle);
    }

    private EachContainer() {}

    static int run(Berth berth, List<String> refs, Action action) {
        int code = 0;
        try (Cri cri = berth.connect()) {
            Containers containers = new Containers(cri);
            Lifecycle lifecycle = new Lifecycle(cri);
            for (String ref : refs) {
                try {
                    action.apply(ref, containers, lifecycle);
                    System.out.println(ref);
                } catch (CliException e) {
                    System.err.println("berth: " + e.getMessage());
                    code = e.exitCode() != 0 ? e.exitCode() : 1;
                }
            }
        }
        return code;
    }
}
