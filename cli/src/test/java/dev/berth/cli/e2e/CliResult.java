package dev.berth.cli.e2e;

/** What one run of the berth command did. */
public record CliResult(int exitCode, String stdout, String stderr) {

    /** Lines of stdout, without the trailing empty one. */
    public java.util.List<String> lines() {
        return stdout.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
