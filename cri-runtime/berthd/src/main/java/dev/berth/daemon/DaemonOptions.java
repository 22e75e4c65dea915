package dev.berth.daemon;

import java.nio.file.Path;
import java.util.List;

/** berthd's command line: {@code --config}, {@code --root}, {@code --state}, {@code --socket}, {@code --version}. */
public record DaemonOptions(
        Path config, boolean configGiven, String root, String state, String socket, boolean help, boolean version) {

    public static final String USAGE = """
            usage: berthd [--config FILE] [--root DIR] [--state DIR] [--socket PATH] [--version]
                   berthd check-config [--config FILE]
              --config FILE   configuration (default /etc/berth/berth.yaml; optional)
              --root DIR      persistent state: images, layers, records (default /var/lib/berth)
              --state DIR     runtime state: socket, namespaces (default /run/berth)
              --socket PATH   CRI gRPC socket (default <state>/berth.sock)
              --version       print berthd's version and exit
            """;

    public static DaemonOptions parse(List<String> args) {
        Path config = ConfigLoader.DEFAULT_PATH;
        boolean configGiven = false;
        String root = null;
        String state = null;
        String socket = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.equals("-h") || name.equals("--help")) {
                return new DaemonOptions(config, false, null, null, null, true, false);
            }
            if (name.equals("--version")) {
                return new DaemonOptions(config, false, null, null, null, false, true);
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("flag " + name + " needs a value\n" + USAGE);
            }
            switch (name) {
                case "--config" -> {
                    config = Path.of(value);
                    configGiven = true;
                }
                case "--root" -> root = value;
                case "--state" -> state = value;
                case "--socket" -> socket = value;
                default -> throw new IllegalArgumentException("unknown flag " + name + "\n" + USAGE);
            }
        }
        return new DaemonOptions(config, configGiven, root, state, socket, false, false);
    }
}
