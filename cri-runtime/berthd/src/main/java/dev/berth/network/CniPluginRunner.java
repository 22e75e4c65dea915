package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.metrics.CallDurations;
import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.Command;
import dev.berth.process.CommandRunner.CommandResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Execs one CNI plugin with exactly the CNI environment and its network config on stdin. */
final class CniPluginRunner {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final CommandRunner runner;
    private final PluginLocator locator;
    private final ObjectMapper mapper;
    private final CallDurations durations;

    CniPluginRunner(CommandRunner runner, PluginLocator locator, ObjectMapper mapper, CallDurations durations) {
        this.runner = runner;
        this.locator = locator;
        this.mapper = mapper;
        this.durations = durations;
    }

    /** @return the plugin's result (ADD), or empty when it printed nothing (DEL) */
    Optional<JsonNode> run(String cniCommand, String type, CniInvocation call, byte[] config) throws IOException {
        Path binary = locator.require(type);
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", cniCommand);
        env.put("CNI_CONTAINERID", call.containerId());
        env.put("CNI_NETNS", call.netns());
        env.put("CNI_IFNAME", call.ifName());
        env.put("CNI_ARGS", call.cniArgs());
        env.put("CNI_PATH", locator.cniPath());
        // Plugins exec iptables, ip6tables and modprobe by name.
        String path = System.getenv("PATH");
        env.put("PATH", path == null || path.isEmpty() ? DEFAULT_PATH : path);
        Command command = Command.of(TIMEOUT, List.of(binary.toString()))
                .withStdin(config)
                .withOnlyEnvironment(env);
        long started = System.nanoTime();
        CommandResult result;
        try {
            result = runner.run(command);
        } finally {
            durations.since(started, type, cniCommand);
        }
        if (result.exitCode() != 0) {
            throw failure(cniCommand, type, call, result);
        }
        String out = result.stdout().strip();
        if (out.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readTree(out));
        } catch (IOException e) {
            throw new CniPluginException(
                    type,
                    "CNI plugin " + type + " " + cniCommand + " for " + call.containerId()
                            + " printed a result that is not JSON: " + abbreviate(out),
                    -1);
        }
    }

    private CniPluginException failure(String cniCommand, String type, CniInvocation call, CommandResult result) {
        String prefix = "CNI plugin " + type + " " + cniCommand + " for " + call.containerId() + " failed (exit "
                + result.exitCode() + ")";
        JsonNode error = parseQuietly(result.stdout());
        if (error != null && error.has("msg")) {
            int code = error.path("code").asInt(-1);
            String details = error.path("details").asText("");
            return new CniPluginException(
                    type,
                    prefix + ": code " + code + ": \"" + error.path("msg").asText() + "\""
                            + (details.isEmpty() ? "" : " (details: \"" + details + "\")"),
                    code);
        }
        String text = !result.stderr().isBlank() ? result.stderr() : result.stdout();
        return new CniPluginException(type, prefix + ": " + abbreviate(text.strip()), -1);
    }

    private JsonNode parseQuietly(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
    }
}
