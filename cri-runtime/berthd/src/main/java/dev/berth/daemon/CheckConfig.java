package dev.berth.daemon;

import dev.berth.network.CniSettings;
import dev.berth.network.NetworkConfigCheck;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code berthd check-config [--config FILE]}: berth.yaml as berthd would load it (every problem, not the first),
 * the paths it names that must exist, and the CNI network it would use. Prints each problem as {@code key: problem};
 * exit 0 with "configuration OK", 1 on any problem, 2 on a bad command line.
 */
final class CheckConfig {

    static final String COMMAND = "check-config";
    static final String USAGE =
            "usage: berthd check-config [--config FILE]   (default " + ConfigLoader.DEFAULT_PATH + ")\n";

    private final PrintStream out;

    CheckConfig(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        Path file = ConfigLoader.DEFAULT_PATH;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                out.print(USAGE);
                return 0;
            } else if (arg.startsWith("--config=")) {
                file = Path.of(arg.substring("--config=".length()));
            } else if (arg.equals("--config") && i + 1 < args.size()) {
                file = Path.of(args.get(++i));
            } else {
                out.print("berthd check-config: unexpected argument " + arg + "\n" + USAGE);
                return 2;
            }
        }
        List<String> problems = check(file);
        problems.forEach(out::println);
        if (!problems.isEmpty()) {
            return 1;
        }
        out.println(file + ": configuration OK");
        return 0;
    }

    static List<String> check(Path file) {
        BerthConfig config;
        try {
            config = new ConfigLoader().load(file, true);
        } catch (ConfigLoader.InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        List<String> problems = new ArrayList<>();
        paths(config).forEach(problem -> problems.add(problem.toString()));
        CniSettings cni;
        try {
            cni = config.cniSettings();
        } catch (IllegalArgumentException e) {
            problems.add("network: " + e.getMessage());
            return problems;
        }
        problems.addAll(new NetworkConfigCheck(cni).problems());
        return problems;
    }

    /** What berthd needs to find at start or at the first pod, and would otherwise fail on only then. */
    private static List<ConfigProblem> paths(BerthConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        BerthConfig.Streaming streaming = config.streaming();
        if (streaming != null) {
            file(problems, "streaming.tlsCert", streaming.tlsCert());
            file(problems, "streaming.tlsKey", streaming.tlsKey());
        }
        for (Map.Entry<String, BerthConfig.Runtime> runtime :
                config.runtimesOrDefault().entrySet()) {
            String path = runtime.getValue().path();
            String key = "runtimes." + runtime.getKey() + ".path";
            if (!Files.isRegularFile(Path.of(path))) {
                problems.add(new ConfigProblem(key, "no such file: " + path));
            } else if (!Files.isExecutable(Path.of(path))) {
                problems.add(new ConfigProblem(key, "not executable: " + path));
            }
        }
        BerthConfig.Network network = config.network();
        if (network != null) {
            if (network.confDir() != null && !Files.isDirectory(Path.of(network.confDir()))) {
                problems.add(new ConfigProblem("network.confDir", "no such directory: " + network.confDir()));
            }
            if (network.pluginDirs() != null) {
                for (int i = 0; i < network.pluginDirs().size(); i++) {
                    String dir = network.pluginDirs().get(i);
                    if (!Files.isDirectory(Path.of(dir))) {
                        problems.add(new ConfigProblem("network.pluginDirs[" + i + "]", "no such directory: " + dir));
                    }
                }
            }
        }
        return problems;
    }

    private static void file(List<ConfigProblem> problems, String key, String path) {
        if (path != null && !Files.isRegularFile(Path.of(path))) {
            problems.add(new ConfigProblem(key, "no such file: " + path));
        }
    }
}
