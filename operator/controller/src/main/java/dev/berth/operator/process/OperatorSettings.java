package dev.berth.operator.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one operator or node-agent process runs. Flags win over environment variables, which the chart sets:
 * POD_NAME, POD_NAMESPACE and NODE_NAME from the downward API, and BERTH_METRICS_PORT,
 * BERTH_LEADER_ELECTION_LEASE, BERTH_RUNTIME_CLASS, BERTH_CRI_ENDPOINT from its values.
 *
 * @param port               health (/healthz, /readyz) and metrics (/metrics) port; 0 picks a free one
 * @param leaseName          the coordination.k8s.io Lease the operator replicas compete for
 * @param leaseNamespace     where the Lease lives; null means the kubeconfig's (or in-cluster) namespace
 * @param identity           this replica's name in the Lease's holderIdentity
 * @param runtimeClassName   the RuntimeClass an App runs under when its spec names none
 * @param nodeName           the node a node agent serves; null for the operator
 * @param criSocket          the node's CRI endpoint a node agent pulls through
 * @param serverSideApply    dependents and status written by server-side apply, as on a real API server;
 *                           false only for API servers that lack it (the Fabric8 mock server of tests and
 *                           benchmarks)
 */
public record OperatorSettings(
        int port,
        String leaseName,
        String leaseNamespace,
        String identity,
        String runtimeClassName,
        String nodeName,
        String criSocket,
        boolean serverSideApply) {
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_LEASE_NAME = "berth-operator";
    public static final String DEFAULT_RUNTIME_CLASS = "berth";
    public static final String DEFAULT_CRI_SOCKET = "unix:///run/berth/berth.sock";

    public OperatorSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        requireText(leaseName, "--lease-name");
        requireText(identity, "--identity");
        requireText(runtimeClassName, "--runtime-class");
        requireText(criSocket, "--cri-socket");
    }

    /** The settings for tests and embedders: defaults everywhere, a free port, the given identity. */
    public static OperatorSettings defaults(String identity) {
        return new OperatorSettings(
                0, DEFAULT_LEASE_NAME, null, identity, DEFAULT_RUNTIME_CLASS, null, DEFAULT_CRI_SOCKET, true);
    }

    public OperatorSettings withPort(int newPort) {
        return new OperatorSettings(
                newPort, leaseName, leaseNamespace, identity, runtimeClassName, nodeName, criSocket, serverSideApply);
    }

    public OperatorSettings withLeaseNamespace(String namespace) {
        return new OperatorSettings(
                port, leaseName, namespace, identity, runtimeClassName, nodeName, criSocket, serverSideApply);
    }

    public OperatorSettings withNodeName(String node) {
        return new OperatorSettings(
                port, leaseName, leaseNamespace, identity, runtimeClassName, node, criSocket, serverSideApply);
    }

    /**
     * Reads {@code --port N}, {@code --lease-name}, {@code --lease-namespace}, {@code --identity},
     * {@code --runtime-class}, {@code --node-name}, {@code --cri-socket} (each also as {@code --flag=value}).
     */
    public static OperatorSettings parse(List<String> args, Map<String, String> env) {
        Map<String, String> flags = flags(args);
        String identity = flags.getOrDefault("identity", firstText(env.get("POD_NAME"), env.get("HOSTNAME")));
        if (identity == null) {
            identity = "berth-operator-" + ProcessHandle.current().pid();
        }
        return new OperatorSettings(
                port(flags.getOrDefault(
                        "port", firstText(env.get("BERTH_METRICS_PORT"), String.valueOf(DEFAULT_PORT)))),
                flags.getOrDefault("lease-name", firstText(env.get("BERTH_LEADER_ELECTION_LEASE"), DEFAULT_LEASE_NAME)),
                flags.getOrDefault("lease-namespace", env.get("POD_NAMESPACE")),
                identity,
                flags.getOrDefault("runtime-class", firstText(env.get("BERTH_RUNTIME_CLASS"), DEFAULT_RUNTIME_CLASS)),
                flags.getOrDefault("node-name", env.get("NODE_NAME")),
                flags.getOrDefault("cri-socket", firstText(env.get("BERTH_CRI_ENDPOINT"), DEFAULT_CRI_SOCKET)),
                bool(
                        flags.getOrDefault("server-side-apply", firstText(env.get("BERTH_SERVER_SIDE_APPLY"), "true")),
                        "--server-side-apply"));
    }

    private static final List<String> KNOWN = List.of(
            "port",
            "lease-name",
            "lease-namespace",
            "identity",
            "runtime-class",
            "node-name",
            "cri-socket",
            "server-side-apply");

    private static boolean bool(String value, String flag) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(flag + " must be true or false, got '" + value + "'");
        };
    }

    /** The same settings for an API server without server-side apply (the Fabric8 mock server). */
    public OperatorSettings withoutServerSideApply() {
        return new OperatorSettings(
                port, leaseName, leaseNamespace, identity, runtimeClassName, nodeName, criSocket, false);
    }

    private static Map<String, String> flags(List<String> args) {
        Map<String, String> flags = new java.util.HashMap<>();
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + arg + "'; flags are --" + String.join(", --", KNOWN));
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (rest.isEmpty()) {
                throw new IllegalArgumentException("flag --" + name + " needs a value");
            } else {
                value = rest.removeFirst();
            }
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown flag --" + name + "; flags are --" + String.join(", --", KNOWN));
            }
            flags.put(name, value);
        }
        return flags;
    }

    private static int port(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got '" + value + "'");
        }
    }

    private static String firstText(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static void requireText(String value, String flag) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
    }
}
