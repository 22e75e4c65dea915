package dev.berth.snapshot;

/**
 * Told of each regular file an unpack creates, once its content is written: its device and inode numbers and the SHA-256 of
 * that content. A build hashes its COPY sources from these instead of reading the context it just wrote back.
 */
@FunctionalInterface
public interface WrittenFiles {

    void written(long device, long inode, byte[] sha256);
}
