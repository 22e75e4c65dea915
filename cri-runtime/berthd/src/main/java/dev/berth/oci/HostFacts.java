package dev.berth.oci;

import dev.berth.sys.X32Abi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the spec depends on about this host, read once at start-up so that tests can state any host instead.
 *
 * @param capabilities     berthd's effective capabilities: the most a container (even privileged) can get
 * @param cgroupUnified    /sys/fs/cgroup is cgroup v2 (then containers get a cgroup namespace and "unified")
 * @param swapAccounting   the memory controller accounts swap (memsw on v1, memory.swap.max on v2)
 * @param hugetlb          the hugetlb controller exists
 * @param arch             the Go-style architecture name seccomp profiles use ("amd64", "arm64", ...)
 * @param x32Abi           the kernel runs x32-ABI system calls (amd64 only; see {@link X32Abi})
 */
public record HostFacts(
        List<String> capabilities,
        boolean cgroupUnified,
        boolean swapAccounting,
        boolean hugetlb,
        String arch,
        boolean x32Abi) {

    public HostFacts {
        capabilities = List.copyOf(capabilities);
    }

    public static HostFacts probe() throws IOException {
        boolean unified = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        boolean swap;
        boolean hugetlb;
        if (unified) {
            String controllers = Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers"));
            hugetlb = controllers.contains("hugetlb");
            // the root cgroup has no memory.swap.max; any child does when swap accounting is on
            swap = controllers.contains("memory") && swapFileBelowRoot();
        } else {
            swap = Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
            hugetlb = Files.isDirectory(Path.of("/sys/fs/cgroup/hugetlb"));
        }
        String arch = goArch();
        List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
        return new HostFacts(
                LinuxCapabilities.fromMask(Long.parseUnsignedLong(statusField(status, "CapEff"), 16)),
                unified,
                swap,
                hugetlb,
                arch,
                arch.equals("amd64")
                        && X32Abi.supported(!statusField(status, "Seccomp").equals("0")));
    }

    private static String statusField(List<String> status, String field) throws IOException {
        for (String line : status) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new IOException("/proc/self/status has no " + field + " line");
    }

    private static boolean swapFileBelowRoot() throws IOException {
        try (var children = Files.list(Path.of("/sys/fs/cgroup"))) {
            return children.filter(Files::isDirectory).anyMatch(dir -> Files.exists(dir.resolve("memory.swap.max")));
        }
    }

    private static String goArch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "x86";
            default -> arch;
        };
    }
}
