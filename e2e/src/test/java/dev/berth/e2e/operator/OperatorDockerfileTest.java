package dev.berth.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.e2e.bench.BenchBerthd;
import dev.berth.operator.ociimage.OperatorImage;
import dev.berth.process.CommandRunner;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.registry.RegistryFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image as the README's install step builds it: the build-context profile's context (written here
 * with the profile's own code, from the shaded jar the reactor packaged), {@code berth build --push -f
 * operator/Dockerfile} into a local registry, then {@code berth run} of the pushed image, whose arguments replace
 * its Cmd with {@code --help}. The berth command runs as its own process, on this class path.
 */
class OperatorDockerfileTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final RepoPaths repo = RepoPaths.locate();

    @TempDir
    Path tmp;

    @Test
    void dockerfileBuiltAndPushedByBerthRunsTheOperatorsHelp() throws Exception {
        Privileges.requireRoot();
        RegistryFixture.requireAvailable();
        Path context = tmp.resolve("build-context");
        new OperatorImage().writeContext(repo.operatorJar(), context);

        CommandRunner commands = new CommandRunner(tmp);
        try (RegistryFixture registry = RegistryFixture.start();
                BenchBerthd berthd = BenchBerthd.start(tmp)) {
            Map<String, String> env = Map.of("BERTH_ENDPOINT", "unix://" + berthd.socket());
            String reference = registry.reference("berth/operator:e2e");

            CommandRunner.CommandResult build = berth(
                    commands,
                    env,
                    "build",
                    "--progress",
                    "plain",
                    "-t",
                    reference,
                    "--push",
                    "-f",
                    repo.root().resolve("operator/Dockerfile").toString(),
                    context.toString());

            assertThat(build.exitCode()).as(build.stderr()).isZero();
            assertThat(build.stdout()).matches("sha256:[0-9a-f]{64}\n");
            assertThat(build.stderr()).contains("e2e: digest: sha256:");

            CommandRunner.CommandResult rmi = berth(commands, env, "rmi", reference);
            assertThat(rmi.exitCode()).as(rmi.stderr()).isZero();
            CommandRunner.CommandResult help =
                    berth(commands, env, "run", "--rm", "--net", "host", reference, "--help");
            assertThat(help.exitCode()).as(help.stderr()).isZero();
            assertThat(help.stdout() + help.stderr())
                    .contains("usage: berth-operator operator|node-agent [flags]")
                    .contains("--lease-name NAME");
            berth(commands, env, "rmi", reference);
        }
    }

    private static CommandRunner.CommandResult berth(CommandRunner commands, Map<String, String> env, String... args)
            throws IOException {
        List<String> argv = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.berth.cli.Berth"));
        argv.addAll(List.of(args));
        return commands.run(CommandRunner.Command.of(TIMEOUT, argv).withEnvironment(env));
    }
}
