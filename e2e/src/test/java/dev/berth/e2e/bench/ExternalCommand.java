package dev.berth.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a peer's command line (ctr, umount) with a timeout; output goes to a file, kept for the error. */
final class ExternalCommand {

    private ExternalCommand() {
    }

    static String run(List<String> argv, long timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("berth-bench-cmd-", ".log");
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException(String.join(" ", argv) + " timed out after " + timeoutSeconds + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed (exit " + process.exitValue() + "): " + text.strip());
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
