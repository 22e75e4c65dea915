package dev.berth.cli.build;

import dev.berth.build.context.ContextEntry;
import dev.berth.build.context.ContextWalker;
import dev.berth.build.context.IgnoreRules;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A build context as the tar docker's CLI sends: the entries its {@code .dockerignore} keeps, the Dockerfile
 * and the {@code .dockerignore} itself always among them (docker re-includes both whatever the rules say),
 * owned by root, symlinks as symlinks, each file read as it is written so no context is ever held in memory.
 */
public final class ContextTar {

    static final String IGNORE_FILE = ".dockerignore";

    private final Path root;
    private final IgnoreRules rules;

    private ContextTar(Path root, IgnoreRules rules) {
        this.root = root;
        this.rules = rules;
    }

    /**
     * The context at {@code root} with the rules of its {@code .dockerignore}; {@code dockerfile} is the
     * Dockerfile's path inside it ({@code /}-separated), or null for one that is not sent in the context.
     */
    public static ContextTar of(Path root, String dockerfile) throws IOException {
        Path ignore = root.resolve(IGNORE_FILE);
        String text = Files.isRegularFile(ignore) ? Files.readString(ignore, StandardCharsets.UTF_8) : "";
        try {
            IgnoreRules rules = IgnoreRules.parse(text);
            boolean dockerfileIgnored = dockerfile != null && rules.excludes(dockerfile);
            if (rules.excludes(IGNORE_FILE) || dockerfileIgnored) {
                // as docker: re-included after every rule of the file (the last rule wins). Only then, since
                // a `!` rule makes the walk descend into every ignored directory.
                text += "\n!" + IGNORE_FILE + "\n" + (dockerfileIgnored ? "!" + escaped(dockerfile) + "\n" : "");
                rules = IgnoreRules.parse(text);
            }
            return new ContextTar(root, rules);
        } catch (IllegalArgumentException e) {
            throw new IOException(IGNORE_FILE + ": " + e.getMessage(), e);
        }
    }

    public void writeTo(OutputStream out) throws IOException {
        List<ContextEntry> entries = new ContextWalker(rules).walk(root);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (ContextEntry entry : entries) {
            write(tar, entry);
        }
        tar.finish();
        tar.flush();
    }

    private static void write(TarArchiveOutputStream tar, ContextEntry entry) throws IOException {
        TarArchiveEntry header = switch (entry.kind()) {
            case FILE -> {
                TarArchiveEntry file = new TarArchiveEntry(entry.name());
                file.setSize(Files.size(entry.path()));
                yield file;
            }
            case DIRECTORY -> new TarArchiveEntry(entry.name() + "/");
            case SYMLINK -> {
                TarArchiveEntry link = new TarArchiveEntry(entry.name(), TarConstants.LF_SYMLINK);
                link.setLinkName(Files.readSymbolicLink(entry.path()).toString());
                yield link;
            }
            // sockets and fifos: a build cannot copy them (docker's CLI leaves sockets out too)
            case OTHER -> null;
        };
        if (header == null) {
            return;
        }
        int mode = (Integer) Files.getAttribute(entry.path(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int type = switch (entry.kind()) {
            case DIRECTORY -> 0040000;
            case SYMLINK -> 0120000;
            default -> 0100000;
        };
        header.setMode(type | (mode & 07777));
        header.setModTime(Files.getLastModifiedTime(entry.path(), LinkOption.NOFOLLOW_LINKS));
        header.setIds(0, 0);
        header.setNames("", "");
        tar.putArchiveEntry(header);
        if (entry.kind() == ContextEntry.Kind.FILE) {
            Files.copy(entry.path(), tar);
        }
        tar.closeArchiveEntry();
    }

    /** A path as a {@code .dockerignore} pattern that matches it alone. */
    private static String escaped(String path) {
        StringBuilder pattern = new StringBuilder();
        for (char ch : path.toCharArray()) {
            if ("*?[\\".indexOf(ch) >= 0) {
                pattern.append('\\');
            }
            pattern.append(ch);
        }
        return pattern.toString();
    }
}
