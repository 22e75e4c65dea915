package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** conmon in memory: records each launch and kill; told to, fails the create as runc would. */
public final class FakeMonitor implements Monitor {

    public final List<ConmonLaunch> launches = new CopyOnWriteArrayList<>();
    public final List<Path> killed = new CopyOnWriteArrayList<>();
    public final List<String> strays = new CopyOnWriteArrayList<>();
    /** When set, create fails with this runtime message. */
    public volatile String failCreate;

    @Override
    public ConmonStarted create(ConmonLaunch launch, ContainerRuntime runtime) throws IOException {
        launches.add(launch);
        if (failCreate != null) {
            throw new OciRuntimeException("runc create failed: " + failCreate);
        }
        return new ConmonStarted(1000 + launches.size(), 2000 + launches.size());
    }

    @Override
    public void killMonitor(Path persistDir) {
        killed.add(persistDir);
    }

    @Override
    public void killStrays(String containerId) {
        strays.add(containerId);
    }
}
