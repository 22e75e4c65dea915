package dev.berth.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * The oom_score_adj a container may get. Without CAP_SYS_RESOURCE a process may not lower its oom_score_adj
 * below the value it started with, and runc (running as berthd's child) would fail the create; so, like
 * containerd's restrict_oom_score_adj, a lower request is raised to berthd's own current value.
 */
public final class OomScoreAdjPolicy {

    private final boolean mayLower;
    private final IntSupplier current;

    /**
     * @param mayLower whether berthd holds CAP_SYS_RESOURCE
     * @param current  berthd's own oom_score_adj now (read each time: an operator may change it while we run)
     */
    public OomScoreAdjPolicy(boolean mayLower, IntSupplier current) {
        this.mayLower = mayLower;
        this.current = current;
    }

    /** For berthd on {@code host}, whose effective capabilities it holds. */
    public static OomScoreAdjPolicy forHost(HostFacts host) {
        return new OomScoreAdjPolicy(
                host.capabilities().contains(LinuxCapabilities.NAMES.get(LinuxCapabilities.SYS_RESOURCE)),
                OomScoreAdjPolicy::readOwn);
    }

    public int effective(long requested) {
        int value = (int) Math.max(-1000, Math.min(1000, requested));
        if (mayLower) {
            return value;
        }
        return Math.max(value, current.getAsInt());
    }

    private static int readOwn() {
        try {
            return Integer.parseInt(
                    Files.readString(Path.of("/proc/self/oom_score_adj")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read berthd's own oom_score_adj", e);
        }
    }
}
