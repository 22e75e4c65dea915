package dev.berth.build.dockerfile;

/**
 * A Dockerfile that cannot be built as written, located like Docker reports it:
 * {@code Dockerfile:7: COPY: --chown needs a value}. Line 0 and an empty instruction mean the file as a whole.
 */
public final class DockerfileException extends Exception {

    private final String fileName;
    private final int line;
    private final String instruction;
    private final String reason;

    public DockerfileException(String fileName, int line, String instruction, String reason) {
        super(format(fileName, line, instruction, reason));
        this.fileName = fileName;
        this.line = line;
        this.instruction = instruction;
        this.reason = reason;
    }

    public String fileName() {
        return fileName;
    }

    public int line() {
        return line;
    }

    public String instruction() {
        return instruction;
    }

    /** The message without the location. */
    public String reason() {
        return reason;
    }

    private static String format(String fileName, int line, String instruction, String reason) {
        StringBuilder message = new StringBuilder(fileName);
        if (line > 0) {
            message.append(':').append(line);
        }
        message.append(": ");
        if (!instruction.isEmpty()) {
            message.append(instruction).append(": ");
        }
        return message.append(reason).toString();
    }
}
