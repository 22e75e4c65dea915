package dev.berth.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The OCI process an exec with {@link ProcessOptions} runs, for {@code runc exec --process}: the container's own
 * process from its config.json (capabilities, rlimits, no_new_privs, labels stay as created, as containerd makes
 * an exec's process from the container's) with argv, terminal and the options put in. runc's flags cannot do it:
 * its {@code --additional-gids} adds to the container's groups, so a user of {@code -u} would keep them.
 */
public final class ExecProcessSpec {

    private final ObjectMapper mapper = new ObjectMapper();

    public byte[] build(byte[] containerConfig, List<String> argv, boolean tty, ProcessOptions options)
            throws IOException {
        JsonNode config = mapper.readTree(containerConfig);
        if (!(config.path("process") instanceof ObjectNode original)) {
            throw new IOException("the container's config.json has no process");
        }
        ObjectNode process = original.deepCopy();
        process.put("terminal", tty);
        process.remove("consoleSize");
        ArrayNode args = process.putArray("args");
        argv.forEach(args::add);
        if (options.user() != null) {
            // the rest of the container's user (its umask) stays
            ObjectNode user = process.path("user") instanceof ObjectNode own ? own : process.putObject("user");
            user.put("uid", options.user().uid()).put("gid", options.user().gid());
            ArrayNode gids = user.putArray("additionalGids");
            options.user().additionalGids().forEach(gids::add);
        }
        if (options.workdir() != null) {
            process.put("cwd", options.workdir());
        }
        if (!options.env().isEmpty()) {
            List<String> env = new ArrayList<>();
            process.path("env").forEach(entry -> env.add(entry.asText()));
            ArrayNode merged = process.putArray("env");
            new Environment().setAll(env).setAll(options.env()).toList().forEach(merged::add);
        }
        return mapper.writeValueAsBytes(process);
    }
}
