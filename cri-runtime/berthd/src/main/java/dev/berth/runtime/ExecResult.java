package dev.berth.runtime;

/** What a synchronous exec produced; a timed-out exec has exit code -1 and {@code timedOut} set. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut) {

    public ExecResult {
        stdout = stdout.clone();
        stderr = stderr.clone();
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }
}
