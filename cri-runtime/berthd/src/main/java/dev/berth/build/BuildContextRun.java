package dev.berth.build;

import dev.berth.build.copy.ContextDigests;
import dev.berth.build.dockerfile.BuildPlan;
import dev.berth.build.run.BuildSandbox;
import dev.berth.imagestore.Caller;
import dev.berth.imagestore.Leases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One build while it runs: what it was asked, where its context and sandbox are, what it holds (leases, cache
 * keys used) and where its events go. Built and closed by {@link BuildService}.
 */
final class BuildContextRun implements AutoCloseable {

    private final BuildRequest request;
    private final BuildPlan plan;
    private final Path context;
    private final ContextDigests contextDigests;
    private final BuildSandbox sandbox;
    private final BuildEvents events;
    private final Caller caller;
    private final List<Leases.Lease> leases = new ArrayList<>();
    private final List<String> cacheKeys = new ArrayList<>();
    private final int totalSteps;
    private int step;

    BuildContextRun(
            BuildRequest request,
            BuildPlan plan,
            Path context,
            ContextDigests contextDigests,
            BuildSandbox sandbox,
            BuildEvents events,
            Caller caller) {
        this.request = request;
        this.plan = plan;
        this.context = context;
        this.contextDigests = contextDigests;
        this.sandbox = sandbox;
        this.events = events;
        this.caller = caller;
        this.totalSteps = plan.stages().stream()
                .mapToInt(stage -> stage.stage().instructions().size() + 1)
                .sum();
    }

    BuildRequest request() {
        return request;
    }

    BuildPlan plan() {
        return plan;
    }

    Path context() {
        return context;
    }

    /** The digests of the context's files, taken as it was unpacked. */
    ContextDigests contextDigests() {
        return contextDigests;
    }

    BuildSandbox sandbox() {
        return sandbox;
    }

    BuildEvents events() {
        return events;
    }

    Caller caller() {
        return caller;
    }

    int totalSteps() {
        return totalSteps;
    }

    /** The next step's 1-based index. */
    int nextStep() {
        return ++step;
    }

    synchronized void hold(Leases.Lease lease) {
        leases.add(lease);
    }

    /** The list leases of new layers go into; released with the build. */
    List<Leases.Lease> leases() {
        return leases;
    }

    void usedCacheKey(String key) {
        cacheKeys.add(key);
    }

    List<String> cacheKeys() {
        return List.copyOf(cacheKeys);
    }

    @Override
    public synchronized void close() {
        leases.forEach(Leases.Lease::close);
        leases.clear();
    }
}
