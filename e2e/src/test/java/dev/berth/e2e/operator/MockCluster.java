package dev.berth.e2e.operator;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * Fabric8's mock API server in CRUD mode on 127.0.0.1 over plain HTTP, with the committed CRDs installed and
 * the one answer JOSDK needs that CRUD mode cannot give (may this client use Leases). It runs no controllers:
 * {@link DeploymentSimulator} plays the Deployment controller and the garbage collector.
 */
public final class MockCluster implements AutoCloseable {
    /** Held so the level sticks: JUL keeps loggers weakly, and the mock server logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;

    private MockCluster(KubernetesMockServer server, NamespacedKubernetesClient client) {
        this.server = server;
        this.client = client;
    }

    public static MockCluster start(RepoPaths repo) throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        // JOSDK asks whether it may use leases before electing; CRUD mode has no authorizer to answer that.
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(
                        201,
                        new SelfSubjectRulesReviewBuilder()
                                .withNewStatus()
                                .withIncomplete(false)
                                .withResourceRules(new ResourceRuleBuilder()
                                        .withApiGroups("coordination.k8s.io")
                                        .withResources("leases")
                                        .withVerbs("get", "create", "update")
                                        .build())
                                .endStatus()
                                .build())
                .always();
        NamespacedKubernetesClient client = server.createClient();
        MockCluster cluster = new MockCluster(server, client);
        try {
            new CrdInstaller(client).install(repo.crdFiles());
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public NamespacedKubernetesClient client() {
        return client;
    }

    /** Another client of this server, e.g. for an operator that closes its client when it stops. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(url())
                        .withNamespace("default")
                        .build())
                .build();
    }

    /**
     * The requests the server has answered since the last call, as "METHOD path user-agent" (query dropped), oldest
     * first: what benchmarks count API writes with.
     */
    public java.util.List<String> takeRequests() throws InterruptedException {
        java.util.List<String> taken = new java.util.ArrayList<>();
        for (var r = server.takeRequest(0, java.util.concurrent.TimeUnit.MILLISECONDS);
                r != null;
                r = server.takeRequest(0, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            String path = r.getPath();
            int q = path.indexOf('?');
            taken.add(r.getMethod() + " " + (q < 0 ? path : path.substring(0, q)) + " " + r.getHeader("User-Agent"));
        }
        return taken;
    }

    /** A client of this server that names itself {@code userAgent}, so its requests can be told apart. */
    public KubernetesClient newClient(String userAgent) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(url())
                        .withNamespace("default")
                        .withUserAgent(userAgent)
                        .build())
                .build();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    /** A kubeconfig that points another process (the operator's own JVM) at this server. */
    public Path writeKubeconfig(Path file, String namespace) throws IOException {
        Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
        users:
        - name: e2e
          user:
            token: e2e
        contexts:
        - name: mock
          context:
            cluster: mock
            user: e2e
            namespace: %s
        current-context: mock
        """.formatted(url(), namespace));
        return file;
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
