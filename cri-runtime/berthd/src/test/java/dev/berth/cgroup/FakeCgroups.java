package dev.berth.cgroup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** cgroups in memory: records what was made, applied and removed; told to, fails a step. */
public final class FakeCgroups implements CgroupManager {

    public final Set<String> existing = ConcurrentHashMap.newKeySet();
    public final Map<String, CgroupResources> applied = new LinkedHashMap<>();
    public final List<String> calls = new ArrayList<>();
    /** The step ("create", "apply", ...) to fail with an IOException, or null. */
    public volatile String failOn;

    private long cpuNanos;
    private long clockNanos;

    @Override
    public boolean unified() {
        return true;
    }

    @Override
    public synchronized void create(String cgroupPath) throws IOException {
        step("create", cgroupPath);
        existing.add(cgroupPath);
    }

    @Override
    public synchronized void apply(String cgroupPath, CgroupResources resources) throws IOException {
        step("apply", cgroupPath);
        applied.put(cgroupPath, resources);
    }

    @Override
    public synchronized void killAll(String cgroupPath) throws IOException {
        step("killAll", cgroupPath);
    }

    @Override
    public synchronized void remove(String cgroupPath) throws IOException {
        step("remove", cgroupPath);
        existing.remove(cgroupPath);
    }

    /** Empty unless another existing cgroup lies below it (the fake has no processes). */
    @Override
    public synchronized boolean removeIfEmpty(String cgroupPath) throws IOException {
        step("removeIfEmpty", cgroupPath);
        if (existing.stream().anyMatch(other -> other.startsWith(cgroupPath + "/"))) {
            return false;
        }
        existing.remove(cgroupPath);
        return true;
    }

    @Override
    public boolean exists(String cgroupPath) {
        return existing.contains(cgroupPath);
    }

    @Override
    public List<Integer> pids(String cgroupPath) {
        return List.of();
    }

    /** Each reading is 1 ms after the previous one, with 0.5 ms more CPU time. */
    @Override
    public synchronized CgroupStats stats(String cgroupPath) throws IOException {
        step("stats", cgroupPath);
        clockNanos += 1_000_000;
        cpuNanos += 500_000;
        return new CgroupStats(clockNanos, cpuNanos, 1 << 20, 1 << 19, 1 << 18, 10, 1, 0, 3);
    }

    @Override
    public synchronized void addProcess(String cgroupPath, long pid) throws IOException {
        step("addProcess", cgroupPath);
    }

    private void step(String name, String cgroupPath) throws IOException {
        calls.add(name + " " + cgroupPath);
        if (name.equals(failOn)) {
            throw new IOException("injected failure: " + name + " " + cgroupPath);
        }
    }
}
