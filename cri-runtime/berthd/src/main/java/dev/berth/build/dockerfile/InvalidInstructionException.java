package dev.berth.build.dockerfile;

/**
 * A failure found while reading one instruction, before its location is known to the code that found it;
 * {@link DockerfileParser} turns it into a {@link DockerfileException} naming the file, line and instruction.
 */
final class InvalidInstructionException extends Exception {

    InvalidInstructionException(String reason) {
        super(reason);
    }
}
