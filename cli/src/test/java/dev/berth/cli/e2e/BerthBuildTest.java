package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ListImagesRequest;
import dev.berth.cri.v1.RemoveImageRequest;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.cri.BerthdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth build against a real berthd and registry, the result run with berth run; the CLI as its own process. */
class BerthBuildTest {

    private static CliTestBed bed;

    @TempDir
    Path context;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot();
        bed = CliTestBed.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void aTaggedBuildShowsPlainStepsPrintsItsIdAndRuns() throws Exception {
        write("hello.txt", "hello from the context\n");
        write("Dockerfile", """
                FROM %s
                WORKDIR /app
                COPY hello.txt ./
                RUN echo built by berth > built.txt && echo step output here
                CMD ["sh", "-c", "cat /app/hello.txt /app/built.txt"]
                """.formatted(bed.busybox()));
        String name = bed.registry() + "/cli/built:1";

        CliResult build = bed.berth("build", "-t", name, "--progress", "plain", context.toString());

        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.stdout()).matches("sha256:[0-9a-f]{64}\n");
        List<String> progress = build.stderr().lines().toList();
        assertThat(progress).contains("#1 [1/5] FROM " + bed.busybox(), "#3 [3/5] COPY hello.txt ./");
        assertThat(progress).anyMatch(line -> line.matches("#4 \\[4/5] RUN echo built by berth .*"));
        assertThat(progress).contains("#4 step output here", "#6 naming to " + name + " done");
        assertThat(progress).anyMatch(line -> line.matches("#4 DONE \\d+\\.\\ds"));

        CliResult run = bed.berth("run", "--rm", name);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hello from the context\nbuilt by berth\n");

        CliResult again = bed.berth("build", "-q", "-t", name, "--progress", "plain", context.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout()).isEqualTo(build.stdout());
        assertThat(again.stderr()).isEmpty();
        CliResult cached = bed.berth("build", "-t", name, "--progress", "plain", context.toString());
        assertThat(cached.stderr().lines()).contains("#3 CACHED", "#4 CACHED");
    }

    @Test
    void aBuildWhoseContextTakesManyChunksFinishesOnAOneCpuHost() throws Exception {
        byte[] data = new byte[12 << 20];
        ThreadLocalRandom.current().nextBytes(data); // incompressible: the upload really is 12 MiB of chunks
        Files.write(context.resolve("data.bin"), data);
        write("Dockerfile", """
                FROM %s
                COPY data.bin /data.bin
                """.formatted(bed.busybox()));

        // one CPU: the JVM's virtual threads get a single carrier, which a blocked event loop must not hold
        CliResult build = bed.berthWithEnv(
                List.of("BERTH_ENDPOINT=" + bed.endpoint(), "JAVA_TOOL_OPTIONS=-XX:ActiveProcessorCount=1"),
                "build",
                "-q",
                "--no-cache",
                context.toString());

        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.stdout()).matches("sha256:[0-9a-f]{64}\n");
    }

    @Test
    void theDockerignoreKeepsFilesOutButNeverTheDockerfile() throws Exception {
        write("kept.txt", "kept\n");
        write("secret.env", "TOKEN=do-not-send\n");
        write("logs/app.log", "noise\n");
        write(".dockerignore", "secret.env\nlogs\nDockerfile\n");
        write("Dockerfile", """
                FROM %s
                COPY . /ctx/
                CMD ["ls", "-a", "/ctx"]
                """.formatted(bed.busybox()));
        String name = bed.registry() + "/cli/ignored:1";

        CliResult build = bed.berth("build", "-q", "-t", name, context.toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();

        CliResult run = bed.berth("run", "--rm", name);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout().lines())
                .contains("kept.txt", "Dockerfile", ".dockerignore")
                .doesNotContain("secret.env", "logs");
    }

    @Test
    void buildArgsComeFromTheFlagOrTheEnvironmentAndTheDockerfileFromStdin() throws Exception {
        write("unused.txt", "x\n");
        String dockerfile = """
                FROM %s
                ARG GREETING=hi
                ARG WHO
                RUN echo "$GREETING $WHO" > /greeting
                CMD ["cat", "/greeting"]
                """.formatted(bed.busybox());
        String name = bed.registry() + "/cli/args:1";

        CliResult build = bed.berthWithEnv(
                List.of("BERTH_ENDPOINT=" + bed.endpoint(), "WHO=from the environment"),
                "build",
                "-q",
                "-t",
                name,
                "--build-arg",
                "GREETING=hello",
                "--build-arg",
                "WHO",
                "-f",
                write("elsewhere/Dockerfile", dockerfile).toString(),
                context.resolve("elsewhere").getParent().toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(bed.berth("run", "--rm", name).stdout()).isEqualTo("hello from the environment\n");

        CliResult fromStdin = bed.berthWithInput(dockerfile, "build", "-q", "-t", name, "-f", "-", context.toString());
        assertThat(fromStdin.exitCode()).as(fromStdin.toString()).isZero();
        assertThat(bed.berth("run", "--rm", name).stdout()).isEqualTo("hi \n");
    }

    @Test
    void aFailingRunExitsOneWithDockersMessage() throws Exception {
        write("Dockerfile", """
                FROM %s
                RUN exit 3
                """.formatted(bed.busybox()));
        String name = bed.registry() + "/cli/failing:1";

        CliResult build = bed.berth("build", "-t", name, "--progress", "plain", context.toString());

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.stdout()).isEmpty();
        assertThat(build.stderr())
                .contains("#2 ERROR: process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3\n")
                .endsWith("berth: failed to solve: process \"/bin/sh -c exit 3\" did not complete successfully:"
                        + " exit code: 3\n");
        assertThat(bed.berth("images").stdout()).doesNotContain("cli/failing");

        CliResult noContext = bed.berth("build", context.resolve("missing").toString());
        assertThat(noContext.exitCode()).isEqualTo(1);
        assertThat(noContext.stderr()).contains("unable to prepare context: path");
    }

    @Test
    void ctrlCCancelsTheBuildAndBerthdRemovesWhatItMade() throws Exception {
        write("Dockerfile", """
                FROM %s
                RUN echo sleeping && sleep 300
                """.formatted(bed.busybox()));
        Path stderr = context.getParent().resolve("build-" + System.nanoTime() + ".err");
        Process berth = bed.startBerth(
                ProcessBuilder.Redirect.to(stderr.toFile()),
                "build",
                "--progress",
                "plain",
                "-t",
                "cli/cancelled:1",
                context.toString());
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!(Files.exists(stderr) && Files.readString(stderr).contains("#2 sleeping"))) {
                assertThat(System.nanoTime()).as("the RUN step's output").isLessThan(deadline);
                assertThat(berth.isAlive()).as("berth build is running").isTrue();
                Thread.sleep(100);
            }

            new ProcessBuilder("kill", "-INT", Long.toString(berth.pid()))
                    .start()
                    .waitFor();

            assertThat(berth.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(berth.exitValue()).isEqualTo(130);
            Path builds = bed.berthdRoot().resolve("builds");
            long gone = System.nanoTime() + 20_000_000_000L;
            while (Files.isDirectory(builds) && !isEmpty(builds) && System.nanoTime() < gone) {
                Thread.sleep(100);
            }
            if (Files.isDirectory(builds)) {
                assertThat(builds).isEmptyDirectory();
            }
            assertThat(bed.berth("images").stdout()).doesNotContain("cli/cancelled");
        } finally {
            berth.destroyForcibly().waitFor();
            Files.deleteIfExists(stderr);
        }
    }

    @Test
    void pushedBuildIsPulledAndRunByAFreshBerthd(@TempDir Path second) throws Exception {
        write("message.txt", "pushed and pulled\n");
        write("Dockerfile", """
                FROM %s
                COPY message.txt /
                CMD ["cat", "/message.txt"]
                """.formatted(bed.busybox()));
        String name = bed.registry() + "/cli/pushed-build:"
                + ThreadLocalRandom.current().nextInt(1000, 9999);

        CliResult build = bed.berth("build", "--push", "-t", name, "--progress", "plain", context.toString());

        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.stderr())
                .contains("The push refers to repository [" + name.substring(0, name.lastIndexOf(':')) + "]");
        assertThat(build.stderr().lines()).anyMatch(line -> line.matches(".*: digest: sha256:[0-9a-f]{64} size: \\d+"));
        try (BerthdProcess fresh = startBerthd(second)) {
            List<String> env = List.of("BERTH_ENDPOINT=unix://" + fresh.socket());
            CliResult pull = bed.berthWithEnv(env, "pull", name);
            assertThat(pull.exitCode()).as(pull.toString()).isZero();
            CliResult run = bed.berthWithEnv(env, "run", "--rm", "--net", "host", name);
            try {
                assertThat(run.exitCode()).as(run.toString()).isZero();
                assertThat(run.stdout()).isEqualTo("pushed and pulled\n");
            } finally {
                fresh.images()
                        .listImages(ListImagesRequest.getDefaultInstance())
                        .getImagesList()
                        .forEach(image -> fresh.images()
                                .removeImage(RemoveImageRequest.newBuilder()
                                        .setImage(image.getSpec())
                                        .build()));
            }
        }
    }

    private static BerthdProcess startBerthd(Path base) throws IOException, InterruptedException {
        Files.createDirectories(base.resolve("cni-conf"));
        Path config = Files.writeString(base.resolve("berth.yaml"), """
                network:
                  confDir: %s
                  bridge: bb%d
                  subnet: 10.235.%d.0/24
                """.formatted(
                        base.resolve("cni-conf"),
                        ThreadLocalRandom.current().nextInt(100_000, 999_999),
                        ThreadLocalRandom.current().nextInt(1, 250)));
        return BerthdProcess.start(base, config);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private Path write(String name, String text) throws IOException {
        Path file = context.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
