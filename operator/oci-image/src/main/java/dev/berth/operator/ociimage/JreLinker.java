package dev.berth.operator.ociimage;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.spi.ToolProvider;

/**
 * A minimal JRE for one application jar, linked by jlink from the JDK running this build (its modules, its
 * version): the modules jdeps finds the jar using, plus those reached only by reflection or service loading.
 */
final class JreLinker {
    /**
     * Elliptic-curve TLS (API servers and registries offer ECDHE and ECDSA): looked up as a security provider,
     * which jdeps cannot see. Since JDK 22 the code lives in java.base and the module is empty, but harmless.
     */
    static final List<String> EXTRA_MODULES = List.of("jdk.crypto.ec");

    /**
     * The operator runs headless: the java.desktop natives that need X11 or ALSA (which jdeps pulls in through
     * java.beans) stay out, so that the image needs no X or sound libraries.
     */
    static final String HEADLESS_EXCLUDES = "**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so";

    /** The modules {@code jar} needs, as jlink's {@code --add-modules} takes them. */
    List<String> modules(Path jar) throws IOException {
        String output = run(
                "jdeps",
                "--print-module-deps",
                "--ignore-missing-deps",
                "--multi-release",
                String.valueOf(Runtime.version().feature()),
                jar.toString());
        List<String> lines =
                output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new IOException("jdeps printed no modules for " + jar);
        }
        Set<String> modules = new LinkedHashSet<>(Arrays.asList(lines.getLast().split(",")));
        EXTRA_MODULES.stream()
                .filter(m -> ModuleFinder.ofSystem().find(m).isPresent())
                .forEach(modules::add);
        return List.copyOf(modules);
    }

    /** Links a JRE with {@code modules} into {@code output}, which must not exist yet. */
    void link(List<String> modules, Path output) throws IOException {
        run(
                "jlink",
                "--add-modules",
                String.join(",", modules),
                "--strip-debug",
                "--no-header-files",
                "--no-man-pages",
                "--exclude-files=" + HEADLESS_EXCLUDES,
                "--output",
                output.toString());
    }

    private static String run(String tool, String... args) throws IOException {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IOException(tool + " is not in this JDK (" + System.getProperty("java.home")
                        + "); build with a full JDK, not a JRE"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out);
                PrintWriter e = new PrintWriter(err)) {
            code = provider.run(o, e, args);
        }
        if (code != 0) {
            List<String> command = new ArrayList<>(List.of(tool));
            command.addAll(List.of(args));
            throw new IOException(String.join(" ", command) + " failed with " + code + ": " + err + out);
        }
        return out.toString();
    }
}
