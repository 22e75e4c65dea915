package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.metrics.CallDurations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConmonTest {

    /** CRI log line: RFC 3339 nano timestamp (conmon writes "+00:00", Go's RFC3339Nano parser accepts it), stream, tag. */
    private static final Pattern CRI_LINE = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:\\d\\d)) (stdout|stderr) (F|P) (.*)$");

    private RuntimeFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = RuntimeFixture.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void createLeavesTheContainerCreatedAndStartRunsIt() throws Exception {
        ConmonStarted started = fixture.create("life", List.of("sleep", "1000"));

        RuntimeState created = fixture.runtime.state("life").orElseThrow();
        assertThat(created.status()).isEqualTo("created");
        assertThat(created.pid()).isEqualTo(started.containerPid());
        assertThat(created.bundle()).isEqualTo(fixture.base.resolve("bundles/life"));
        assertThat(fixture.exitFiles.exitCode("life")).isEmpty();

        fixture.runtime.start("life");

        assertThat(fixture.runtime.state("life").orElseThrow().status()).isEqualTo("running");
        assertThat(new HostProcesses().alive(started.conmonPid())).isTrue();
        assertThat(fixture.logPath("life")).exists();
    }

    @Test
    void anExitingContainerLeavesItsExitCodeAndCriFormatLogLines() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        fixture.create("exits", List.of("sh", "-c", "echo hello; echo oops >&2; exit 3"));
        fixture.runtime.start("exits");

        assertThat(fixture.awaitExit("exits")).isEqualTo(3);

        assertThat(fixture.exitFiles.exitedAt("exits"))
                .get()
                .satisfies(t -> assertThat(t).isAfter(before));
        assertThat(fixture.runtime.state("exits").orElseThrow().status()).isEqualTo("stopped");
        assertThat(fixture.exitFiles.oomKilled(fixture.persistDir("exits"))).isFalse();
        List<String> lines = Files.readAllLines(fixture.logPath("exits"));
        assertThat(lines).hasSize(2);
        assertThat(lines).allSatisfy(line -> {
            Matcher matcher = CRI_LINE.matcher(line);
            assertThat(matcher.matches()).as("CRI log line: " + line).isTrue();
            assertThat(OffsetDateTime.parse(matcher.group(1)).toInstant()).isAfter(before);
        });
        assertThat(lines).anySatisfy(line -> assertThat(line).endsWith(" stdout F hello"));
        assertThat(lines).anySatisfy(line -> assertThat(line).endsWith(" stderr F oops"));
    }

    @Test
    void anInitWithoutHandlerIgnoresTermButDiesOfKill() throws Exception {
        fixture.create("term", List.of("sleep", "1000"));
        fixture.runtime.start("term");

        // pid 1 of a pid namespace gets no default action for signals it has no handler for
        fixture.runtime.kill("term", 15, false);
        Thread.sleep(300);
        assertThat(fixture.runtime.state("term").orElseThrow().status()).isEqualTo("running");

        fixture.runtime.kill("term", 9, false);
        assertThat(fixture.awaitExit("term")).isEqualTo(128 + 9);
        assertThat(fixture.runtime.state("term").orElseThrow().status()).isEqualTo("stopped");
    }

    @Test
    void aContainerOutlivesItsCreatorAndARestartedBerthdStillReadsItsExit() throws Exception {
        Path bundle = fixture.bundle("survivor", List.of("sleep", "1000"), false);
        AtomicReference<Object> outcome = new AtomicReference<>();
        // a short-lived platform thread and throwaway objects stand in for a berthd that goes away
        Thread creator = Thread.ofPlatform().start(() -> {
            try {
                OciRuntime runtime =
                        new OciRuntime(RuntimeFixture.RUNC, fixture.runtime.root(), fixture.runner, CallDurations.NONE);
                ConmonStarted started = new Conmon(RuntimeFixture.CONMON, fixture.runner, CallDurations.NONE)
                        .create(fixture.launch("survivor", bundle, false), runtime);
                runtime.start("survivor");
                outcome.set(started);
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        creator.join(Duration.ofSeconds(30));
        assertThat(outcome.get()).isInstanceOf(ConmonStarted.class);
        ConmonStarted started = fixture.track((ConmonStarted) outcome.get());
        System.gc();

        HostProcesses.ProcStat conmon =
                new HostProcesses().stat(started.conmonPid()).orElseThrow();
        HostProcesses.ProcStat jvm =
                new HostProcesses().stat((int) ProcessHandle.current().pid()).orElseThrow();
        assertThat(conmon.ppid()).as("conmon is reparented away from the JVM").isNotEqualTo(jvm.pid());
        assertThat(conmon.session())
                .as("conmon runs in a session of its own")
                .isNotEqualTo(jvm.session())
                .isEqualTo(started.conmonPid());
        assertThat(ProcessHandle.current().children().map(ProcessHandle::pid))
                .doesNotContain((long) started.conmonPid());

        OciRuntime restarted =
                new OciRuntime(RuntimeFixture.RUNC, fixture.runtime.root(), fixture.runner, CallDurations.NONE);
        ExitFiles exits = new ExitFiles(fixture.exitDir());
        assertThat(restarted.state("survivor").orElseThrow().status()).isEqualTo("running");
        assertThat(exits.exitCode("survivor")).isEmpty();

        restarted.kill("survivor", 9, true);

        assertThat(fixture.awaitExit("survivor")).isEqualTo(137);
        assertThat(exits.exitCode("survivor")).hasValue(137);
        assertThat(restarted.state("survivor").orElseThrow().status()).isEqualTo("stopped");
    }

    @Test
    void createWithAMissingRootfsFailsWithRuncsMessageAndLeavesNothingBehind() throws Exception {
        Path bundle = fixture.bundle("norootfs", List.of("true"), false);
        fixture.editSpec(bundle, spec -> ((ObjectNode) spec.get("root")).put("path", "/nonexistent/rootfs"));
        ConmonLaunch launch = fixture.launch("norootfs", bundle, false);

        assertThatThrownBy(() -> fixture.conmon.create(launch, fixture.runtime))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("runc create norootfs failed")
                .hasMessageContaining("stat /nonexistent/rootfs: no such file or directory");

        assertThat(fixture.runtime.state("norootfs")).isEmpty();
        assertThat(fixture.liveConmons("norootfs")).isEmpty();
        assertThat(fixture.runtime.list()).isEmpty();
        assertThat(launch.attachSocket()).doesNotExist();
        assertThat(bundle.resolve("attach")).doesNotExist();
        assertThat(fixture.exitFiles.exitCode("norootfs")).isEmpty();
    }

    @Test
    void aMissingRuntimeBinaryIsReportedByConmonItself() throws Exception {
        Path bundle = fixture.bundle("noruntime", List.of("true"), false);
        OciRuntime missing = new OciRuntime(
                Path.of("/nonexistent/runc"), fixture.runtime.root(), fixture.runner, CallDurations.NONE);

        assertThatThrownBy(() -> fixture.conmon.create(fixture.launch("noruntime", bundle, false), missing))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("/nonexistent/runc");
        assertThat(fixture.liveConmons("noruntime")).isEmpty();
    }

    @Test
    void theAttachSocketSitsUnderTheSocketDir() throws Exception {
        fixture.create("attach", List.of("sleep", "1000"));

        Path socket = fixture.launch("attach", fixture.base.resolve("bundles/attach"), false)
                .attachSocket();
        assertThat(Files.exists(socket)).as(socket + " exists").isTrue();
    }

    @Test
    void aTtyContainerLogsItsOutputAsStdout() throws Exception {
        Path bundle = fixture.bundle("tty", List.of("sh", "-c", "echo hello-tty; exit 4"), true);
        fixture.track(fixture.conmon.create(fixture.launch("tty", bundle, true), fixture.runtime));
        fixture.runtime.start("tty");

        assertThat(fixture.awaitExit("tty")).isEqualTo(4);
        List<String> lines = Files.readAllLines(fixture.logPath("tty"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches(CRI_LINE).contains(" stdout F hello-tty"));
        assertThat(lines).noneSatisfy(line -> assertThat(line).contains(" stderr "));
    }

    @Test
    void anOomKilledContainerLeavesConmonsOomMarker() throws Exception {
        Path bundle = fixture.bundle("oom", List.of("sh", "-c", "a=xxxxxxxx; while true; do a=$a$a; done"), false);
        fixture.editSpec(
                bundle,
                spec -> ((ObjectNode) spec.get("linux"))
                        .putObject("resources")
                        .putObject("memory")
                        .put("limit", 16L << 20)
                        .put("swap", 16L << 20));
        fixture.track(fixture.conmon.create(fixture.launch("oom", bundle, false), fixture.runtime));
        fixture.runtime.start("oom");

        assertThat(fixture.awaitExit("oom")).isEqualTo(137);
        assertThat(fixture.exitFiles.oomKilled(fixture.persistDir("oom"))).isTrue();
    }

    @Test
    void aMissingEntrypointFailsAlreadyAtCreateWithRuncsMessage() throws Exception {
        // runc 1.1 looks the executable up before it parks on the exec fifo, so this fails at create, not start
        assertThatThrownBy(() -> fixture.create("nope", List.of("/nope")))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("runc create nope failed")
                .hasMessageContaining("exec: \"/nope\": stat /nope: no such file or directory");
        assertThat(fixture.runtime.state("nope")).isEmpty();
        assertThat(fixture.liveConmons("nope")).isEmpty();
    }

    @Test
    void aNonExecutableEntrypointFailsAtCreateToo() throws Exception {
        Path bundle = fixture.bundle("noexec", List.of("/bin/data"), false);
        Files.writeString(bundle.resolve("rootfs/bin/data"), "not a program");

        assertThatThrownBy(() -> fixture.conmon.create(fixture.launch("noexec", bundle, false), fixture.runtime))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("exec: \"/bin/data\": permission denied");
        assertThat(fixture.runtime.state("noexec")).isEmpty();
    }

    @Test
    void creatingAnIdThatExistsFailsAndLeavesTheExistingContainerAlone() throws Exception {
        fixture.create("twice", List.of("sleep", "1000"));
        fixture.runtime.start("twice");
        Path otherBundle = fixture.bundle("twice-again", List.of("sleep", "1000"), false);

        assertThatThrownBy(() -> fixture.conmon.create(fixture.launch("twice", otherBundle, false), fixture.runtime))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("twice already exists");
        assertThat(fixture.runtime.state("twice").orElseThrow().status()).isEqualTo("running");
    }

    @Test
    void ttyOutputEndsItsLinesWithTheTerminalsCarriageReturn() throws Exception {
        Path bundle = fixture.bundle("ttycr", List.of("echo", "hi"), true);
        fixture.track(fixture.conmon.create(fixture.launch("ttycr", bundle, true), fixture.runtime));
        fixture.runtime.start("ttycr");
        fixture.awaitExit("ttycr");

        assertThat(Files.readString(fixture.logPath("ttycr"))).endsWith(" stdout F hi\r\n");
    }
}
