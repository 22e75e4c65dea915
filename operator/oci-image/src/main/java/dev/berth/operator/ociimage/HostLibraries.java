package dev.berth.operator.ociimage;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The build host's shared libraries that a set of ELF files loads, found with {@code ldd} as distroless
 * images are assembled: libc, libm, the dynamic loader and the like, each at the path the loader finds it.
 * So the image carries the build host's glibc.
 */
final class HostLibraries {
    private static final Duration LDD_TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
    /** {@code libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)} */
    private static final Pattern RESOLVED = Pattern.compile("^\\s*(\\S+) => (/\\S+) \\(0x[0-9a-f]+\\)$");
    /** {@code libjvm.so => not found} */
    private static final Pattern MISSING = Pattern.compile("^\\s*(\\S+) => not found$");
    /** {@code /lib64/ld-linux-x86-64.so.2 (0x...)}: the loader itself */
    private static final Pattern ABSOLUTE = Pattern.compile("^\\s*(/\\S+) \\(0x[0-9a-f]+\\)$");

    /**
     * The libraries (absolute host paths, as ldd names them) that the ELF files among {@code files} need,
     * leaving out those inside {@code bundle}: a library ldd cannot find is accepted only if {@code bundle}
     * ships a file of that name (libjvm.so, which the launcher loads before the libraries that name it).
     */
    Set<Path> neededBy(Collection<Path> files, Path bundle) throws IOException {
        Set<String> bundled = new TreeSet<>();
        try (var walk = Files.walk(bundle)) {
            walk.filter(Files::isRegularFile)
                    .forEach(f -> bundled.add(f.getFileName().toString()));
        }
        Path bundleReal = bundle.toRealPath();
        Set<Path> needed = new TreeSet<>();
        for (Path file : files) {
            if (!isElf(file)) {
                continue;
            }
            for (String line : ldd(file).lines().toList()) {
                Matcher resolved = RESOLVED.matcher(line);
                Matcher missing = MISSING.matcher(line);
                Matcher absolute = ABSOLUTE.matcher(line);
                Path library = null;
                if (resolved.matches()) {
                    library = Path.of(resolved.group(2));
                } else if (absolute.matches()) {
                    library = Path.of(absolute.group(1));
                } else if (missing.matches() && !bundled.contains(missing.group(1))) {
                    throw new IOException(file + " needs " + missing.group(1) + ", which this host does not have");
                }
                if (library != null && !library.toRealPath().startsWith(bundleReal)) {
                    needed.add(library);
                }
            }
        }
        return needed;
    }

    /** The ELF files below {@code dir}: executables and shared objects. */
    static List<Path> elfFilesBelow(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(HostLibraries::isElf)
                    .sorted()
                    .toList();
        }
    }

    private static boolean isElf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(ELF_MAGIC.length);
            return Arrays.equals(head, ELF_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    private static String ldd(Path file) throws IOException {
        Process process = new ProcessBuilder("ldd", file.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(LDD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("ldd " + file + " did not finish within " + LDD_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for ldd " + file, e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("ldd " + file + " failed with " + process.exitValue() + ": " + stderr.join());
        }
        return stdout.join();
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
