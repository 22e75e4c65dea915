package dev.berth.build.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The entries of a build context that its {@link IgnoreRules} keep, depth first with the names of each
 * directory in sorted (UTF-16 code unit) order, so the same context always lists the same way. Symlinks are
 * listed, never followed. An ignored directory is descended only when a {@code !} rule could re-include
 * something under it. The Dockerfile and {@code .dockerignore} are listed only if not ignored; the build
 * reads them directly either way.
 */
public final class ContextWalker {

    private final IgnoreRules rules;

    public ContextWalker(IgnoreRules rules) {
        this.rules = rules;
    }

    public List<ContextEntry> walk(Path root) throws IOException {
        List<ContextEntry> entries = new ArrayList<>();
        walk(root, "", entries, new ArrayList<>());
        return entries;
    }

    /** {@code pending}: ignored ancestors not yet listed, listed (as implied) before their first kept entry. */
    private void walk(Path dir, String prefix, List<ContextEntry> entries, List<ContextEntry> pending)
            throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted((a, b) ->
                            a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
        for (Path child : children) {
            String name = prefix + child.getFileName();
            BasicFileAttributes attributes =
                    Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            ContextEntry.Kind kind = kind(attributes);
            boolean excluded = rules.excludes(name);
            if (!excluded) {
                entries.addAll(pending);
                pending.clear();
                entries.add(new ContextEntry(name, child, kind, false));
            }
            if (kind == ContextEntry.Kind.DIRECTORY && (!excluded || rules.hasExceptions())) {
                ContextEntry implied = new ContextEntry(name, child, kind, true);
                if (excluded) {
                    pending.add(implied);
                }
                walk(child, name + "/", entries, pending);
                if (excluded
                        && !pending.isEmpty()
                        && pending.get(pending.size() - 1).equals(implied)) {
                    // nothing below was kept: the directory is not sent
                    pending.remove(pending.size() - 1);
                }
            }
        }
    }

    private static ContextEntry.Kind kind(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return ContextEntry.Kind.SYMLINK;
        }
        if (attributes.isDirectory()) {
            return ContextEntry.Kind.DIRECTORY;
        }
        return attributes.isRegularFile() ? ContextEntry.Kind.FILE : ContextEntry.Kind.OTHER;
    }
}
