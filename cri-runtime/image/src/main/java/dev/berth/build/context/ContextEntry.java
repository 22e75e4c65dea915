package dev.berth.build.context;

import java.nio.file.Path;

/**
 * One file, directory or symlink of a build context: {@code name} relative to the context root with
 * {@code /} separators, {@code path} where it is on disk. {@code implied} marks a directory that is itself
 * ignored but holds a re-included entry, so it is sent only to hold that entry.
 */
public record ContextEntry(String name, Path path, Kind kind, boolean implied) {

    public enum Kind {
        FILE,
        DIRECTORY,
        SYMLINK,
        OTHER
    }
}
