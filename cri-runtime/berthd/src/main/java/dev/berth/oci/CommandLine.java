package dev.berth.oci;

import java.util.ArrayList;
import java.util.List;

/** Kubernetes' rules for a container's argv from the pod's command/args and the image's ENTRYPOINT/CMD. */
final class CommandLine {

    private CommandLine() {}

    /**
     * command replaces the entrypoint and drops the image's CMD too (a new entrypoint would not understand the old
     * arguments); args alone replace CMD and keep the entrypoint; neither keeps both.
     */
    static List<String> resolve(List<String> command, List<String> args, List<String> entrypoint, List<String> cmd)
            throws InvalidContainerConfigException {
        List<String> argv = new ArrayList<>(command.isEmpty() ? entrypoint : command);
        if (!args.isEmpty()) {
            argv.addAll(args);
        } else if (command.isEmpty()) {
            argv.addAll(cmd);
        }
        if (argv.isEmpty()) {
            throw new InvalidContainerConfigException(
                    "no command specified: the request has no command or args and the image no ENTRYPOINT or CMD");
        }
        return List.copyOf(argv);
    }
}
