package dev.berth.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.build.dockerfile.Command;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.build.dockerfile.KeyValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The instructions that change only the image config (ENV, LABEL, USER, CMD, ...), applied as Docker applies
 * them: shell forms through the stage's SHELL, an ENTRYPOINT clears a CMD the base image set, relative WORKDIRs
 * against the current one. One per stage: it remembers whether the stage set a CMD itself.
 */
final class MetadataInstructions {

    private boolean cmdSetInStage;

    /** Applies a resolved instruction; {@code env} is the stage's environment after it. */
    void apply(Instruction instruction, StageImage image, Map<String, String> env) {
        ObjectNode runtime = image.runtime();
        switch (instruction) {
            case Instruction.Env ignored -> image.env(env);
            case Instruction.Label label -> {
                ObjectNode labels = runtime.with("Labels");
                for (KeyValue pair : label.labels()) {
                    labels.put(pair.key(), pair.value());
                }
            }
            case Instruction.Expose expose -> {
                ObjectNode ports = runtime.with("ExposedPorts");
                expose.ports().forEach(port -> ports.putObject(port));
            }
            case Instruction.Volume volume -> {
                ObjectNode volumes = runtime.with("Volumes");
                volume.paths().forEach(path -> volumes.putObject(path));
            }
            case Instruction.User user -> runtime.put("User", user.user());
            case Instruction.Workdir workdir -> runtime.put("WorkingDir", workingDir(image, workdir.path()));
            case Instruction.Cmd cmd -> {
                words(runtime.putArray("Cmd"), cmd.command(), image.shell());
                cmdSetInStage = true;
            }
            case Instruction.Entrypoint entrypoint -> {
                words(runtime.putArray("Entrypoint"), entrypoint.command(), image.shell());
                if (!cmdSetInStage) {
                    runtime.putNull("Cmd");
                }
            }
            case Instruction.StopSignal signal -> runtime.put("StopSignal", signal.signal());
            case Instruction.Healthcheck check -> healthcheck(runtime.putObject("Healthcheck"), check, image.shell());
            case Instruction.Onbuild onbuild -> runtime.withArray("OnBuild").add(onbuild.expression());
            case Instruction.Shell shell -> {
                ArrayNode words = runtime.putArray("Shell");
                shell.shell().forEach(words::add);
            }
            case Instruction.Maintainer maintainer -> image.json().put("author", maintainer.maintainer());
            default -> {}
        }
    }

    /** The absolute WORKDIR a (resolved) WORKDIR path gives, relative ones against the current one. */
    static String workingDir(StageImage image, String path) {
        String joined = path.startsWith("/") ? path : image.workingDir() + "/" + path;
        String normal = java.nio.file.Path.of(joined).normalize().toString();
        return normal.isEmpty() ? "/" : normal;
    }

    private static void words(ArrayNode array, Command command, List<String> shell) {
        switch (command) {
            case Command.Exec exec -> exec.argv().forEach(array::add);
            case Command.Shell script -> {
                shell.forEach(array::add);
                array.add(script.script());
            }
        }
    }

    private static void healthcheck(ObjectNode node, Instruction.Healthcheck check, List<String> shell) {
        ArrayNode test = node.putArray("Test");
        if (check.disabled()) {
            test.add("NONE");
            return;
        }
        switch (check.test()) {
            case Command.Exec exec -> {
                test.add("CMD");
                exec.argv().forEach(test::add);
            }
            case Command.Shell script -> {
                test.add("CMD-SHELL");
                test.add(script.script());
            }
        }
        nanos(node, "Interval", check.interval());
        nanos(node, "Timeout", check.timeout());
        nanos(node, "StartPeriod", check.startPeriod());
        nanos(node, "StartInterval", check.startInterval());
        if (check.retries() > 0) {
            node.put("Retries", check.retries());
        }
    }

    private static void nanos(ObjectNode node, String field, Duration duration) {
        if (duration != null && !duration.isZero()) {
            node.put(field, duration.toNanos());
        }
    }
}
