package dev.berth.build;

import dev.berth.build.cache.BuildCache;
import dev.berth.build.copy.CopyStep;
import dev.berth.build.layer.LayerWriter;
import dev.berth.build.run.RunStep;
import dev.berth.imagestore.Leases;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.sys.Mounts;

/** Puts the step tools together from the parts the daemon wires. */
public final class StepToolsFactory {

    private StepToolsFactory() {}

    /** The daemon's parts a build's steps use. */
    public record Parts(
            Mounts mounts,
            SnapshotStore snapshots,
            LayerWriter layerWriter,
            Leases leases,
            BuildCache cache,
            RunStep runner,
            CopyStep copier) {}

    static StepTools tools(Parts parts, BaseImages bases) {
        return new StepTools(
                parts.mounts(),
                parts.snapshots(),
                new StepLayers(parts.layerWriter(), parts.snapshots(), parts.leases()),
                parts.cache(),
                parts.runner(),
                parts.copier(),
                bases);
    }
}
