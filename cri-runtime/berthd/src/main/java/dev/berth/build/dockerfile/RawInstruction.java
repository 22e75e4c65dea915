package dev.berth.build.dockerfile;

import java.util.List;

/**
 * One logical line of a Dockerfile: continuation lines joined, comments dropped, the here-documents it
 * opens read. {@code keyword} is upper case as written in the file's canonical form; {@code arguments}
 * is everything after it, untouched.
 */
record RawInstruction(int line, String keyword, String arguments, List<Heredoc> heredocs) {

    RawInstruction {
        heredocs = List.copyOf(heredocs);
    }
}
