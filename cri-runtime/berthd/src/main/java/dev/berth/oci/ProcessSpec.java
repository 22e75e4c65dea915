package dev.berth.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cri.v1.ContainerConfig;
import java.util.List;

/** The spec's {@code process} object: argv, environment, working directory, terminal, user, capabilities. */
final class ProcessSpec {

    private final ObjectMapper mapper;

    ProcessSpec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode build(
            ContainerSpecRequest request,
            List<String> args,
            ResolvedUser user,
            List<String> caps,
            String hostname,
            int oomScoreAdj)
            throws InvalidContainerConfigException {
        ContainerConfig config = request.config();
        var image = request.imageConfig();
        ObjectNode process = mapper.createObjectNode();
        process.put("terminal", config.getTty());

        ObjectNode userNode = process.putObject("user").put("uid", user.uid()).put("gid", user.gid());
        ArrayNode gids = userNode.putArray("additionalGids");
        user.additionalGids().forEach(gids::add);

        strings(process.putArray("args"), args);

        Environment env = new Environment();
        if (config.getTty()) {
            env.set("TERM=xterm");
        }
        env.setAll(image.env());
        if (!hostname.isEmpty()) {
            env.set("HOSTNAME=" + hostname);
        }
        env.setAllKeyValues(config.getEnvsList());
        strings(process.putArray("env"), env.toList());

        process.put("cwd", workingDir(config.getWorkingDir(), image.workingDir()));

        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : new String[] {"bounding", "effective", "permitted"}) {
            strings(capabilities.putArray(set), caps);
        }
        process.put("noNewPrivileges", config.getLinux().getSecurityContext().getNoNewPrivs());
        process.put("oomScoreAdj", oomScoreAdj);
        return process;
    }

    static String workingDir(String requested, String image) throws InvalidContainerConfigException {
        String cwd = !requested.isEmpty() ? requested : image != null && !image.isEmpty() ? image : "/";
        if (!cwd.startsWith("/")) {
            throw new InvalidContainerConfigException("working directory must be absolute, got \"" + cwd + "\"");
        }
        return cwd;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
