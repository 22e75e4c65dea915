package dev.berth.snapshot;

/** What one unpacked layer costs on disk, recorded at unpack time so ImageFsInfo never walks trees. */
public record SnapshotUsage(long bytes, long inodes) {

    public static final SnapshotUsage NONE = new SnapshotUsage(0, 0);

    public SnapshotUsage plus(SnapshotUsage other) {
        return new SnapshotUsage(bytes + other.bytes, inodes + other.inodes);
    }
}
