package dev.berth.e2e.bench;

import dev.berth.e2e.operator.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shaded operator jar in its own JVM, as {@code ./berth operator} runs it (same flags), pointed at a cluster
 * by a kubeconfig: its RSS is the operator's alone. Output goes to a log file whose tail ends up in failures.
 */
final class OperatorJvm implements AutoCloseable {
    /** Keep in step with the "operator" case of ./berth. */
    static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx256m");

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private OperatorJvm(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code java -jar <jar> operator} and waits until /readyz answers 200 (leader, informers synced). */
    static OperatorJvm start(Path jar, Path kubeconfig, String leaseNamespace, Path log, Duration timeout)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "operator",
                "--port",
                String.valueOf(port),
                "--lease-namespace",
                leaseNamespace,
                "--identity",
                "berth-bench",
                // the Fabric8 mock server answers server-side apply with 415
                "--server-side-apply",
                "false"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // Only the generated kubeconfig: nothing from the caller's environment may point it at a real cluster.
        builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("KUBECONFIG"));
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        OperatorJvm jvm = new OperatorJvm(builder.start(), log, port);
        try {
            Await.until("the operator JVM to answer /readyz with 200", timeout, () -> {
                if (!jvm.process.isAlive()) {
                    throw new IllegalStateException(
                            "operator exited with " + jvm.process.exitValue() + ": " + jvm.logTail());
                }
                int status = jvm.status("/readyz");
                return status == 200 ? null : "/readyz " + status;
            });
        } catch (RuntimeException | AssertionError e) {
            String tail = jvm.logTail();
            jvm.close();
            throw new IllegalStateException(e.getMessage() + "; operator log: " + tail, e);
        }
        return jvm;
    }

    long pid() {
        return process.pid();
    }

    long rssKib() throws IOException {
        return Rss.ofPid(process.pid());
    }

    private int status(String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String logTail() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (the graceful stop), then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
