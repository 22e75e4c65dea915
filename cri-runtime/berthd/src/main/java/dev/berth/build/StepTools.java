package dev.berth.build;

import dev.berth.build.cache.BuildCache;
import dev.berth.build.copy.CopyStep;
import dev.berth.build.run.RunStep;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.sys.Mounts;

/** What the steps of every build use: mounts, snapshots, layers, the cache, runc and the copier. */
record StepTools(
        Mounts mounts,
        SnapshotStore snapshots,
        StepLayers layers,
        BuildCache cache,
        RunStep runner,
        CopyStep copier,
        BaseImages bases) {}
