package dev.berth.testkit.registry;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real registry (Debian's docker-registry, the CNCF distribution server) on 127.0.0.1 and a random
 * port, storing into its own temporary directory; optionally behind htpasswd Basic auth. Closing it
 * stops the process and deletes everything it stored.
 */
public final class RegistryFixture implements AutoCloseable {

    private static final Path DEFAULT_BINARY = Path.of("/usr/bin/docker-registry");
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Path dir;
    private final int port;
    private final Process process;
    private final String user;
    private final String password;
    private final TokenServer tokens;

    private RegistryFixture(Path dir, int port, Process process, String user, String password, TokenServer tokens) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.user = user;
        this.password = password;
        this.tokens = tokens;
    }

    public static boolean available() {
        return Files.isExecutable(binary());
    }

    /** Fails with the package to install when the registry binary is missing. */
    public static void requireAvailable() {
        if (!available()) {
            throw new IllegalStateException("docker-registry not found at " + binary()
                    + "; install it: apt-get install docker-registry (or set BERTH_REGISTRY_BIN)");
        }
    }

    public static RegistryFixture start() throws IOException {
        return start(null, null, false);
    }

    public static RegistryFixture startWithBasicAuth(String user, String password) throws IOException {
        return start(user, password, false);
    }

    /**
     * Behind Docker's token auth, as Docker Hub and ghcr.io are: a token service on 127.0.0.1 issues
     * signed JWTs; with a null user anyone may pull (the anonymous flow), else only that user.
     */
    public static RegistryFixture startWithTokenAuth(String user, String password) throws IOException {
        return start(user, password, true);
    }

    private static RegistryFixture start(String user, String password, boolean tokenAuth) throws IOException {
        requireAvailable();
        Path dir = Files.createTempDirectory("berth-registry-");
        TokenServer tokens = tokenAuth ? new TokenServer(dir, user, password) : null;
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path config = dir.resolve("config.yml");
            String auth = "";
            if (tokens != null) {
                auth = """
                        auth:
                          token:
                            realm: %s
                            service: %s
                            issuer: %s
                            rootcertbundle: %s
                        """.formatted(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.rootCertBundle());
            } else if (user != null) {
                String line = Processes.run(List.of("htpasswd", "-Bbn", user, password), 30)
                        .strip();
                Files.writeString(dir.resolve("htpasswd"), line + "\n");
                auth = """
                        auth:
                          htpasswd:
                            realm: berth-test
                            path: %s
                        """.formatted(dir.resolve("htpasswd"));
            }
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    %s""".formatted(dir.resolve("storage"), port, auth));
            Process process = new ProcessBuilder(binary().toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("registry.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            RegistryFixture fixture = new RegistryFixture(dir, port, process, user, password, tokens);
            try {
                fixture.awaitReady();
                return fixture;
            } catch (IOException e) {
                last = e;
                fixture.stopProcess();
            }
        }
        if (tokens != null) {
            tokens.close();
        }
        deleteTree(dir);
        throw last;
    }

    private void awaitReady() throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited (" + process.exitValue() + "): " + logTail());
            }
            try {
                HttpURLConnection connection =
                        (HttpURLConnection) baseUri().resolve("/v2/").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(1000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for docker-registry", e);
            }
        }
        throw new IOException("docker-registry did not answer on 127.0.0.1:" + port + " within " + START_TIMEOUT_MILLIS
                + " ms: " + logTail());
    }

    private String logTail() {
        try {
            String log = Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
            return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public URI baseUri() {
        return URI.create("http://" + hostPort());
    }

    /** {@code 127.0.0.1:PORT/<repoAndTag>}. */
    public String reference(String repoAndTag) {
        return hostPort() + "/" + repoAndTag;
    }

    /** Where the registry keeps blobs: {@code docker/registry/v2/blobs/sha256/<xx>/<hex>/data} below it. */
    public Path storageDir() {
        return dir.resolve("storage");
    }

    public Path blobFile(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return storageDir()
                .resolve("docker/registry/v2/blobs/sha256")
                .resolve(hex.substring(0, 2))
                .resolve(hex)
                .resolve("data");
    }

    /** What the pusher sends: Basic for htpasswd, a push token for token auth, nothing for an open registry. */
    public String authorizationFor(String repository) throws IOException {
        if (tokens != null) {
            return "Bearer " + tokens.issue("repository:" + repository + ":pull,push", "pusher");
        }
        if (user != null) {
            return "Basic "
                    + java.util.Base64.getEncoder()
                            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /**
     * The registry's access log, oldest first: {@code "METHOD /path?query STATUS"} for each request it
     * answered, so a test can tell which requests a client made.
     */
    public List<String> requests() throws IOException {
        java.util.regex.Pattern access =
                java.util.regex.Pattern.compile("^\\S+ - - \\[[^]]*] \"(\\S+) (\\S+) [^\"]*\" (\\d{3}) .*");
        List<String> requests = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("registry.log"), StandardCharsets.UTF_8)) {
            java.util.regex.Matcher m = access.matcher(line);
            if (m.matches()) {
                requests.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
            }
        }
        return requests;
    }

    /** How many token requests the token service answered (token auth only). */
    public int tokenRequests() {
        return tokens == null ? 0 : tokens.requests();
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        stopProcess();
        if (tokens != null) {
            tokens.close();
        }
        deleteTree(dir);
    }

    private static Path binary() {
        String configured = System.getenv("BERTH_REGISTRY_BIN");
        return configured != null && !configured.isBlank() ? Path.of(configured) : DEFAULT_BINARY;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
