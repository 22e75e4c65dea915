package dev.berth.build;

import dev.berth.build.layer.LayerBlob;
import dev.berth.build.layer.LayerWriter;
import dev.berth.image.Digest;
import dev.berth.image.manifest.MediaTypes;
import dev.berth.imagestore.LayerRecord;
import dev.berth.imagestore.Leases;
import dev.berth.snapshot.ChainIds;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.snapshot.SnapshotUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Turns a step's upper dir into a layer: the tar blob into the content store, and the upper dir itself, moved, as
 * the layer's snapshot (it already is the lower dir the next step needs: no unpack). Both are leased to the build
 * until its image is recorded, so a garbage collection meanwhile keeps them.
 */
final class StepLayers {

    private final LayerWriter writer;
    private final SnapshotStore snapshots;
    private final Leases leases;

    StepLayers(LayerWriter writer, SnapshotStore snapshots, Leases leases) {
        this.writer = writer;
        this.snapshots = snapshots;
        this.leases = leases;
    }

    /** @param below the stage's layers so far, for the chain ID */
    LayerRecord commit(Path upper, List<LayerRecord> below, OptionalLong sourceDateEpoch, List<Leases.Lease> held)
            throws IOException {
        LayerBlob blob = writer.write(upper, sourceDateEpoch);
        List<Digest> diffIds = new ArrayList<>();
        below.forEach(layer -> diffIds.add(Digest.parse(layer.diffId())));
        diffIds.add(blob.diffId());
        Digest chainId = ChainIds.of(diffIds).getLast();
        held.add(leases.acquire(List.of(blob.digest().toString(), chainId.toString())));
        if (!snapshots.exists(chainId)) {
            try (SnapshotStore.PreparedSnapshot prepared = snapshots.prepare(chainId)) {
                Files.delete(prepared.fsPath());
                Files.move(upper, prepared.fsPath());
                prepared.commit(usage(prepared.fsPath()));
            }
        }
        return new LayerRecord(
                blob.digest().toString(),
                MediaTypes.OCI_LAYER_TAR,
                blob.size(),
                blob.diffId().toString(),
                chainId.toString());
    }

    private static SnapshotUsage usage(Path fs) throws IOException {
        long[] totals = new long[2];
        try (Stream<Path> walk = Files.walk(fs)) {
            walk.forEach(path -> {
                totals[1]++;
                if (Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        totals[0] += Files.size(path);
                    } catch (IOException e) {
                        // gone meanwhile: not counted
                    }
                }
            });
        }
        return new SnapshotUsage(totals[0], totals[1]);
    }
}
