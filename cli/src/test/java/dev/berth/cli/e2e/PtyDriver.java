package dev.berth.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * berth on the slave side of a real pseudo-terminal (python3's pty module, {@code pty-driver.py}), typed at and
 * resized like a terminal a person uses: the test waits for output, types, and resizes the master, so the kernel
 * delivers SIGWINCH to berth as it would under a terminal emulator.
 */
final class PtyDriver implements AutoCloseable {

    private final Process process;
    private final OutputStream control;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    /** Where in the output the next {@link #expect} starts looking. */
    private int mark;

    private PtyDriver(Process process) {
        this.process = process;
        this.control = process.getOutputStream();
        this.reader = Thread.ofPlatform().daemon().start(() -> copy(process.getInputStream()));
    }

    static PtyDriver start(CliTestBed bed, int rows, int cols, String... berthArgs) throws IOException {
        Path script = Files.createTempFile("pty-driver-", ".py");
        try (InputStream in = PtyDriver.class.getResourceAsStream("pty-driver.py")) {
            Files.write(script, in.readAllBytes());
        }
        script.toFile().deleteOnExit();
        List<String> argv =
                new ArrayList<>(List.of("python3", script.toString(), Integer.toString(rows), Integer.toString(cols)));
        argv.addAll(bed.javaCommand());
        argv.addAll(List.of(berthArgs));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("BERTH_ENDPOINT", bed.endpoint());
        builder.environment().put("TERM", "xterm");
        return new PtyDriver(builder.start());
    }

    private void copy(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the driver ended
        }
    }

    /** Waits until the output since the last match holds {@code regex}; moves past it. */
    void expect(String regex, Duration patience) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            var matcher = pattern.matcher(output.substring(mark));
            if (matcher.find()) {
                mark += matcher.end();
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no /" + regex + "/ in the terminal within " + patience + "; it shows:\n"
                        + output.substring(mark));
            }
            Thread.sleep(20);
        }
    }

    /** Whether {@code regex} shows up within {@code patience}, moving past it if so. */
    boolean sees(String regex, Duration patience) throws InterruptedException {
        try {
            expect(regex, patience);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    void type(String text) throws IOException {
        command("S " + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)));
    }

    void resize(int rows, int cols) throws IOException {
        command("R " + rows + " " + cols);
    }

    private void command(String line) throws IOException {
        control.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        control.flush();
    }

    /** berth's exit status, once it ends. */
    int exitCode(Duration patience) throws InterruptedException {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("berth did not end within " + patience + "; the terminal shows:\n" + output);
        }
        reader.join(2_000);
        return process.exitValue();
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
