package dev.berth.cli.build;

import dev.berth.api.v1.NetworkMode;
import dev.berth.cli.CliException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker build's flag values as BuildOptions wants them. */
public final class BuildFlags {

    private BuildFlags() {}

    /**
     * {@code --build-arg K=V}; {@code K} alone takes K's value from the environment, and is left out when the
     * environment has none, as docker does.
     */
    public static Map<String, String> buildArgs(List<String> flags, Map<String, String> env) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            String key = eq < 0 ? flag : flag.substring(0, eq);
            if (key.isEmpty()) {
                throw new CliException("invalid --build-arg " + flag + ": the name is empty");
            }
            if (eq >= 0) {
                args.put(key, flag.substring(eq + 1));
            } else if (env.containsKey(key)) {
                args.put(key, env.get(key));
            }
        }
        return args;
    }

    /** {@code --label K=V}; {@code K} alone is an empty label, as docker's. */
    public static Map<String, String> labels(List<String> flags) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            String key = eq < 0 ? flag : flag.substring(0, eq);
            if (key.isEmpty()) {
                throw new CliException("invalid --label " + flag + ": the name is empty");
            }
            labels.put(key, eq < 0 ? "" : flag.substring(eq + 1));
        }
        return labels;
    }

    public static NetworkMode network(String flag) {
        return switch (flag) {
            case "default" -> NetworkMode.NETWORK_DEFAULT;
            case "none" -> NetworkMode.NETWORK_NONE;
            case "host" -> NetworkMode.NETWORK_HOST;
            default ->
                throw new CliException("invalid --network " + flag + ": a build's network is default, none or host");
        };
    }

    /** {@code --cpus 1.5} as thousandths of a CPU. */
    public static long cpuMillis(String flag) {
        try {
            double cpus = Double.parseDouble(flag);
            if (cpus < 0 || Double.isNaN(cpus) || Double.isInfinite(cpus)) {
                throw new NumberFormatException();
            }
            return Math.round(cpus * 1000);
        } catch (NumberFormatException e) {
            throw new CliException("invalid --cpus " + flag + ": a number of CPUs such as 1.5");
        }
    }
}
