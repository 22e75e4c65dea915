package dev.berth.daemon;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The values of a parsed berth.yaml that its types cannot check: durations, URLs, addresses, ranges. Each problem
 * is named by its key; the file system is not looked at here (that is {@link CheckConfig}'s, on demand).
 */
final class ConfigChecks {

    private static final Pattern HOST_NAME =
            Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigChecks() {}

    static List<ConfigProblem> check(BerthConfig config) {
        ConfigChecks checks = new ConfigChecks();
        checks.registries(config);
        checks.images(config.images());
        checks.streaming(config.streaming());
        checks.network(config.network());
        checks.runtimes(config);
        checks.log(config);
        checks.value("metrics.address", config::metricsAddress);
        return List.copyOf(checks.problems);
    }

    private void registries(BerthConfig config) {
        if (config.registries() == null) {
            return;
        }
        config.registries().forEach((host, registry) -> {
            if (registry == null || registry.mirrors() == null) {
                return;
            }
            for (int i = 0; i < registry.mirrors().size(); i++) {
                String key = "registries." + host + ".mirrors[" + i + "]";
                String mirror = registry.mirrors().get(i);
                if (mirror == null || mirror.isBlank()) {
                    problems.add(new ConfigProblem(key, "empty"));
                    continue;
                }
                try {
                    URI uri = new URI(mirror.contains("://") ? mirror : "https://" + mirror);
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                        problems.add(new ConfigProblem(key, "must be an http or https URL: " + mirror));
                    } else if (uri.getHost() == null) {
                        problems.add(new ConfigProblem(key, "not a URL: " + mirror));
                    }
                } catch (URISyntaxException e) {
                    problems.add(new ConfigProblem(key, "not a URL: " + mirror));
                }
            }
        });
    }

    private void images(BerthConfig.Images images) {
        if (images == null) {
            return;
        }
        value("images.platform", images::platformOrHost);
        value("images.pullProgressTimeout", images::pullProgressTimeoutOrDefault);
        value("images", images::pushSettings);
        if (images.maxConcurrentDownloads() != null && images.maxConcurrentDownloads() < 1) {
            problems.add(new ConfigProblem("images.maxConcurrentDownloads", "must be at least 1"));
        }
    }

    private void streaming(BerthConfig.Streaming streaming) {
        if (streaming == null) {
            return;
        }
        int before = problems.size();
        if (streaming.address() != null && !streaming.address().isBlank() && !isAddress(streaming.address())) {
            problems.add(
                    new ConfigProblem("streaming.address", "not an IP address or host name: " + streaming.address()));
        }
        if (streaming.idleTimeout() != null) {
            value("streaming.idleTimeout", () -> GoDurations.parse("streaming.idleTimeout", streaming.idleTimeout()));
        }
        if (streaming.streamCreationTimeout() != null) {
            value(
                    "streaming.streamCreationTimeout",
                    () -> GoDurations.parse("streaming.streamCreationTimeout", streaming.streamCreationTimeout()));
        }
        if (streaming.port() != null && (streaming.port() < 0 || streaming.port() > 65535)) {
            problems.add(new ConfigProblem("streaming.port", "must be 0-65535, not " + streaming.port()));
        }
        if (problems.size() == before) {
            // what is left is the settings' own consistency (TLS cert and key together, timeouts above zero)
            value("streaming", streaming::toSettings);
        }
    }

    private void network(BerthConfig.Network network) {
        if (network == null) {
            return;
        }
        if (network.bridge() != null
                && (network.bridge().isEmpty() || network.bridge().length() > 15)) {
            problems.add(new ConfigProblem("network.bridge", "must be 1-15 characters (a Linux interface name)"));
        }
        if (network.subnet() != null && !isCidr(network.subnet())) {
            problems.add(new ConfigProblem("network.subnet", "not a CIDR such as 10.88.0.0/16: " + network.subnet()));
        }
        if (network.pluginDirs() != null && network.pluginDirs().isEmpty()) {
            problems.add(new ConfigProblem("network.pluginDirs", "must name at least one directory"));
        }
    }

    private void runtimes(BerthConfig config) {
        config.runtimesOrDefault().forEach((name, runtime) -> {
            if (runtime == null || runtime.path() == null || runtime.path().isBlank()) {
                problems.add(new ConfigProblem("runtimes." + name + ".path", "must be set"));
            }
        });
    }

    private void log(BerthConfig config) {
        BerthConfig.Log log = config.log();
        if (log == null) {
            return;
        }
        if (log.format() != null) {
            value("log.format", () -> dev.berth.logging.LogFormat.parse("log.format", log.format()));
        }
        if (log.level() != null) {
            value("log.level", () -> dev.berth.logging.LogSettings.parseLevel("log.level", log.level()));
        }
        if (log.loggers() != null) {
            log.loggers().forEach((name, level) -> {
                String key = "log.loggers." + name;
                value(key, () -> dev.berth.logging.LogSettings.parseLevel(key, String.valueOf(level)));
            });
        }
    }

    /** Runs a parse that names its key at the start of its message, and records the rest of that message. */
    private void value(String key, Supplier<?> parse) {
        try {
            parse.get();
        } catch (IllegalArgumentException | ArithmeticException e) {
            String message = String.valueOf(e.getMessage());
            problems.add(new ConfigProblem(
                    key, message.startsWith(key + " ") ? message.substring(key.length() + 1) : message));
        }
    }

    /** Without asking DNS: a literal address, or a name that could resolve. */
    static boolean isAddress(String address) {
        if (address.contains(":")) {
            try {
                // bracketed, InetAddress parses the literal and never resolves
                InetAddress.getByName("[" + address.replaceAll("^\\[|]$", "") + "]");
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        var ipv4 = IPV4.matcher(address);
        if (ipv4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(ipv4.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        return address.length() <= 253
                && !address.matches("[0-9.]+")
                && HOST_NAME.matcher(address).matches();
    }

    static boolean isCidr(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String address = cidr.substring(0, slash);
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        boolean v6 = address.contains(":");
        return (v6 || IPV4.matcher(address).matches()) && isAddress(address) && bits >= 0 && bits <= (v6 ? 128 : 32);
    }
}
