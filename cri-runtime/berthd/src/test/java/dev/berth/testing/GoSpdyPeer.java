package dev.berth.testing;

import dev.berth.process.Binaries;
import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.CapturedResult;
import dev.berth.process.CommandRunner.Command;
import dev.berth.process.CommandRunner.CommandResult;
import dev.berth.runtime.TerminalSize;
import dev.berth.testkit.Privileges;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Go SPDY client of berthd's streaming URLs: {@code src/test/go/spdypeer}, built on moby/spdystream
 * as Debian packages it (the library kubelet, client-go and crictl use), so a test proves what Go's framer
 * reads rather than what a Java model of it reads.
 *
 * <p>Built offline in GOPATH mode against {@code /usr/share/gocode}, the GOPATH Debian's Go library packages
 * install into: no go.mod, no module proxy, and spdystream's go.mod (which names gorilla/websocket for a
 * subpackage Debian leaves out) is never read. Go's build cache lives in {@code target/gopeer}, so the first
 * build of a checkout compiles the standard library once and later builds take a fraction of a second.
 */
public final class GoSpdyPeer {

    /** Where golang-github-docker-spdystream-dev installs the library (docker/spdystream links to it). */
    private static final Path SPDYSTREAM = Path.of("/usr/share/gocode/src/github.com/moby/spdystream");

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    /** The peer's own deadline; the wrapper's is a little longer, so a hang ends with the peer's message. */
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(60);

    private static final int OUTPUT_LIMIT = 64 << 20;

    private final Path binary;
    private final Path scratch;
    private final CommandRunner runner;

    private GoSpdyPeer(Path binary, Path scratch) {
        this.binary = binary;
        this.scratch = scratch;
        this.runner = new CommandRunner(scratch);
    }

    /**
     * Builds the peer into {@code target/gopeer}; skips without Go or spdystream (fails under CI=true), fails
     * with go's stderr when the build does.
     */
    public static GoSpdyPeer build() throws IOException {
        Path go = Binaries.find("go");
        Privileges.require(Files.isExecutable(go), "go is not installed (apt-get install golang-go)");
        Privileges.require(
                Files.isRegularFile(SPDYSTREAM.resolve("connection.go")),
                "spdystream's source is not installed (apt-get install golang-github-docker-spdystream-dev)");
        Path module = Path.of(System.getProperty("user.dir"));
        Path out = module.resolve("target/gopeer");
        Path binary = out.resolve("spdypeer");
        Files.createDirectories(out);
        // GOPATH mode builds a directory given relative to the working directory, not an absolute one
        Command command = new Command(
                List.of(go.toString(), "build", "-trimpath", "-o", binary.toString(), "./src/test/go/spdypeer"),
                BUILD_TIMEOUT,
                null,
                Map.of(
                        "PATH", "/usr/bin:/bin",
                        "GO111MODULE", "off",
                        "GOPATH", "/usr/share/gocode",
                        "GOCACHE", out.resolve("cache").toString(),
                        "GOPROXY", "off",
                        "GOENV", "off",
                        "GOTOOLCHAIN", "local",
                        // no C toolchain needed, and none is in .ci/packages.txt
                        "CGO_ENABLED", "0"),
                true,
                module);
        CommandResult result = new CommandRunner(out.resolve("scratch")).run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    "building the Go SPDY peer failed (exit " + result.exitCode() + "):\n" + result.stderr());
        }
        return new GoSpdyPeer(binary, Files.createDirectories(out.resolve("scratch")));
    }

    /** Exec or attach with stdin, stdout and stderr streams: sends {@code stdin}, then half-closes it. */
    public Result exec(URI url, byte[] stdin) throws IOException {
        return exec(url, stdin, List.of());
    }

    /** Exec on a terminal: stdin (half-closed at once), stdout and a resize stream that sends {@code size}. */
    public Result execWithTty(URI url, TerminalSize size) throws IOException {
        return exec(
                url,
                new byte[0],
                List.of("--tty", "--width", String.valueOf(size.width()), "--height", String.valueOf(size.height())));
    }

    private Result exec(URI url, byte[] stdin, List<String> options) throws IOException {
        Path input = Files.write(Files.createTempFile(scratch, "stdin-", ""), stdin);
        try {
            List<String> argv = new ArrayList<>(
                    List.of(binary.toString(), "exec", url.toString(), "--stdin-file", input.toString()));
            argv.addAll(options);
            return run(argv);
        } finally {
            Files.deleteIfExists(input);
        }
    }

    /** One forwarded connection that sends {@code request}, half-closes, and reads until the pod side ends. */
    public Result portForward(URI url, int port, byte[] request) throws IOException {
        Path input = Files.write(Files.createTempFile(scratch, "request-", ""), request);
        try {
            return run(List.of(
                    binary.toString(),
                    "portforward",
                    url.toString(),
                    String.valueOf(port),
                    "--request",
                    input.toString()));
        } finally {
            Files.deleteIfExists(input);
        }
    }

    private Result run(List<String> argv) throws IOException {
        List<String> withTimeout = new ArrayList<>(argv);
        withTimeout.addAll(List.of("--timeout", PEER_TIMEOUT.toSeconds() + "s"));
        long start = System.nanoTime();
        CapturedResult result =
                runner.runCapturing(Command.of(PEER_TIMEOUT.plusSeconds(15), withTimeout), OUTPUT_LIMIT, pid -> {});
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (result.timedOut() || result.truncated()) {
            throw new AssertionError("the Go SPDY peer " + (result.timedOut() ? "hung" : "wrote too much") + ": "
                    + new String(result.stderr(), StandardCharsets.UTF_8));
        }
        return new Result(result.exitCode(), result.stdout(), result.stderr(), took);
    }

    /** What the peer printed and how it exited: the remote exit code, 255 for stream errors. */
    public record Result(int exitCode, byte[] stdout, byte[] stderr, Duration took) {

        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }
}
