package dev.berth.build.copy;

import dev.berth.build.dockerfile.Heredoc;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.oci.RootfsPath;
import dev.berth.store.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One resolved COPY or ADD applied to a mounted rootfs with Docker's path rules: a destination ending in "/" or
 * several sources make it a directory; a directory source has its contents copied; a file onto an existing
 * directory goes inside it; a relative destination is relative to WORKDIR; ADD extracts a local tar archive.
 */
public final class CopyStep {

    private final TarArchives archives;

    public CopyStep(TarArchives archives) {
        this.archives = archives;
    }

    /** The sources of {@code copy} in {@code from}, each pattern expanded; {@code where} names it in errors. */
    public static List<CopySources.Source> sources(Instruction.Copy copy, RootfsPath from, String where)
            throws IOException {
        List<CopySources.Source> all = new ArrayList<>();
        for (String source : copy.sources()) {
            List<CopySources.Source> matched = CopySources.match(from, source);
            if (matched.isEmpty()) {
                throw new CopySourceMissingException(source, where);
            }
            all.addAll(matched);
        }
        return all;
    }

    /**
     * @param keepOwners COPY --from keeps the source's owners; the context's files belong to root
     * @param scratch a private directory for archives ADD extracts
     */
    public void apply(
            Instruction.Copy copy,
            List<CopySources.Source> sources,
            RootfsPath to,
            String workingDir,
            boolean keepOwners,
            Path scratch)
            throws IOException {
        FileCopier.Owner owner = copy.chown().isEmpty()
                ? (keepOwners ? FileCopier.Owner.KEEP : FileCopier.Owner.ROOT)
                : ChownSpec.resolve(copy.chown(), to);
        int chmod = copy.chmod().isEmpty() ? -1 : Integer.parseInt(copy.chmod(), 8);
        FileCopier copier = new FileCopier(to, owner, chmod);
        String dest = copy.destination().startsWith("/") ? copy.destination() : workingDir + "/" + copy.destination();
        boolean intoDirectory = dest.endsWith("/")
                || dest.endsWith("/.")
                || sources.size() + copy.heredocs().size() > 1
                || Files.isDirectory(to.resolve(dest));
        for (Heredoc heredoc : copy.heredocs()) {
            String file = intoDirectory ? dest + "/" + heredoc.name() : dest;
            copier.write(heredoc.content().getBytes(StandardCharsets.UTF_8), file, FileTime.fromMillis(0));
        }
        for (CopySources.Source source : sources) {
            if (Files.isDirectory(source.path(), LinkOption.NOFOLLOW_LINKS)) {
                copier.copyContents(source.path(), dest);
            } else if (copy.add() && TarArchives.isArchive(source.path())) {
                extractInto(source.path(), dest, to, copy, scratch);
            } else {
                copier.copy(
                        source.path(),
                        intoDirectory ? dest + "/" + source.path().getFileName() : dest);
            }
        }
    }

    private void extractInto(Path archive, String dest, RootfsPath to, Instruction.Copy copy, Path scratch)
            throws IOException {
        Path unpacked = scratch.resolve("add-" + System.nanoTime());
        Directories.createPrivate(unpacked);
        try {
            try (InputStream in = Files.newInputStream(archive, LinkOption.NOFOLLOW_LINKS)) {
                archives.extract(in, unpacked);
            }
            FileCopier.Owner owner =
                    copy.chown().isEmpty() ? FileCopier.Owner.KEEP : ChownSpec.resolve(copy.chown(), to);
            new FileCopier(to, owner, copy.chmod().isEmpty() ? -1 : Integer.parseInt(copy.chmod(), 8))
                    .copyContents(unpacked, dest);
        } finally {
            Directories.deleteRecursively(unpacked);
        }
    }
}
