package dev.berth.operator.process;

import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.image.RegistrySettings;
import dev.berth.version.BerthVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar berth-operator-all.jar operator|node-agent [flags]}: connects with the current
 * kubeconfig (or the in-cluster service account), runs until SIGTERM, then stops gracefully.
 */
public final class OperatorMain {
    static final String USAGE = """
      usage: berth-operator operator|node-agent [flags]
             berth-operator --version
        operator     reconcile Image and App resources; replicas elect one leader through a Lease
        node-agent   pre-pull Images on this node through its CRI socket (one per node)
      flags:
        --port N               health (/healthz, /readyz) and metrics (/metrics) port, default 8080
        --lease-name NAME      leader lease name, default berth-operator
        --lease-namespace NS   leader lease namespace, default POD_NAMESPACE or the kubeconfig's
        --identity ID          this replica's lease holder identity, default POD_NAME or HOSTNAME
        --runtime-class NAME   RuntimeClass of Apps that name none, default berth
        --node-name NAME       node agent's node, default NODE_NAME
        --cri-socket URL       node agent's CRI endpoint, default unix:///run/berth/berth.sock
        --server-side-apply B  true (default) or false for API servers without server-side apply
      environment: BERTH_LOG_LEVEL (error, warn, info, debug, trace), BERTH_REGISTRY_CONFIG (registry mirrors file)
      """;

    private OperatorMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && List.of("help", "--help", "-h").contains(args[0])) {
            System.out.print(USAGE);
            return;
        }
        if (args.length > 0 && args[0].equals("--version")) {
            System.out.println("berth-operator " + BerthVersion.current());
            return;
        }
        Optional<Mode> mode = args.length == 0 ? Optional.empty() : Mode.ofCommand(args[0]);
        if (mode.isEmpty()) {
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        OperatorSettings settings;
        RegistryConfig registries;
        try {
            // Before any dev.berth logger is created: slf4j-simple fixes a logger's level when creating it.
            LogLevel.apply(System.getenv());
            settings = OperatorSettings.parse(List.of(Arrays.copyOfRange(args, 1, args.length)), System.getenv());
            registries = RegistrySettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("berth-operator: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        LoggerFactory.getLogger(OperatorMain.class)
                .info(
                        "berth-operator {} starting {}",
                        BerthVersion.current(),
                        mode.get().command());
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorProcess process;
        try {
            // Exiting from another thread runs the shutdown hook below, which stops the operator cleanly.
            process = new OperatorProcess(
                    mode.get(),
                    settings,
                    client,
                    new BerthControllers(registries, Clock.systemUTC()),
                    () -> Thread.ofPlatform().start(() -> System.exit(1)));
        } catch (IllegalStateException e) {
            client.close();
            System.err.println("berth-operator: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "berth-operator-shutdown"));
        try {
            process.start();
        } catch (Exception e) {
            LoggerFactory.getLogger(OperatorMain.class)
                    .error("{} failed to start: {}", mode.get().command(), e.toString(), e);
            System.exit(1);
        }
        process.awaitTermination();
    }
}
