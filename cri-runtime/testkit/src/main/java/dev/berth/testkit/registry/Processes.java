package dev.berth.testkit.registry;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a helper program (htpasswd, ctr, umount) with a timeout. Output goes to a file, not a pipe, so a
 * chatty program can never block on a full pipe; it is returned, or quoted in the error.
 */
public final class Processes {

    private Processes() {}

    public static String run(List<String> argv, long timeoutSeconds) throws IOException {
        Path output = Files.createTempFile("berth-cmd-", ".log");
        try {
            Process process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException(String.join(" ", argv) + " did not finish within " + timeoutSeconds + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(argv.getFirst() + " failed (exit " + process.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + argv.getFirst(), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
