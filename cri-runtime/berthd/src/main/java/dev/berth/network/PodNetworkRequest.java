package dev.berth.network;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What CNI needs to attach (or detach) one pod: its identity for CNI_ARGS, its pinned network namespace
 * and its host ports. Only mappings with a host port reach the portmap plugin, as in containerd.
 */
public record PodNetworkRequest(
        String podId,
        String podName,
        String podNamespace,
        String podUid,
        Path netnsPath,
        List<PortMapping> portMappings) {

    /** CNI's rule for CNI_CONTAINERID; it also keeps the ID safe as a cache file name. */
    private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

    public PodNetworkRequest {
        if (podId == null || !CONTAINER_ID.matcher(podId).matches()) {
            throw new IllegalArgumentException(
                    "pod ID must be letters, digits, '_', '.' or '-' (CNI's rule): " + podId);
        }
        podName = podName == null ? "" : podName;
        podNamespace = podNamespace == null ? "" : podNamespace;
        podUid = podUid == null ? "" : podUid;
        portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
    }
}
