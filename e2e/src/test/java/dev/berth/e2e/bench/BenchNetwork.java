package dev.berth.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pod network the peers get: the same plugin chain as berthd's embedded default (bridge +
 * host-local + portmap) but on a bridge and subnet of the bench's own, so it never meets a real
 * node's network, and with host-local's allocations in the bench's directory instead of
 * /var/lib/cni.
 */
record BenchNetwork(Path confDir, Path binDir, String bridge, String subnet) {

    static final Path CNI_BIN = Path.of("/usr/lib/cni");
    static final String NAME = "berth-bench";

    /** Writes the conflist into {@code dir}/net.d. */
    static BenchNetwork create(Path dir, String bridge, String subnet) throws IOException {
        Path confDir = Files.createDirectories(dir.resolve("net.d"));
        Files.writeString(
                confDir.resolve("10-berth-bench.conflist"), """
                {
                  "cniVersion": "1.0.0",
                  "name": "%s",
                  "plugins": [
                    {
                      "type": "bridge",
                      "bridge": "%s",
                      "isGateway": true,
                      "ipMasq": false,
                      "hairpinMode": true,
                      "ipam": {
                        "type": "host-local",
                        "dataDir": "%s",
                        "ranges": [[{"subnet": "%s"}]],
                        "routes": [{"dst": "0.0.0.0/0"}]
                      }
                    },
                    {"type": "portmap", "capabilities": {"portMappings": true}}
                  ]
                }
                """.formatted(NAME, bridge, dir.resolve("ipam"), subnet));
        return new BenchNetwork(confDir, CNI_BIN, bridge, subnet);
    }
}
