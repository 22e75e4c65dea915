package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** COPY and ADD: flags, JSON or blank-separated paths, here-documents as inline sources. */
final class CopyParser {

    private static final Pattern HEREDOC_SOURCE = Pattern.compile("<<-?([\"']?)([^\"']+)\\1");
    private static final Pattern REMOTE = Pattern.compile("(?i)^(https?://|git://|git@|ssh://).*");

    Instruction.Copy parse(int line, boolean add, String args, List<Heredoc> heredocs)
            throws InvalidInstructionException {
        String keyword = add ? "ADD" : "COPY";
        Flags flags =
                Flags.parse(args, add ? Set.of("chown", "chmod") : Set.of("chown", "chmod", "from"), Set.of("link"));
        Optional<List<String>> json = Words.jsonArray(flags.rest());
        List<String> words = json.orElseGet(() -> Words.whitespaceDelimited(flags.rest()));
        if (words.size() < 2) {
            throw new InvalidInstructionException(keyword + " requires at least two arguments, but only "
                    + (words.isEmpty() ? "none was" : "one was") + " provided. Destination could not be determined");
        }
        List<String> sources = new ArrayList<>();
        List<Heredoc> inline = new ArrayList<>();
        for (String source : words.subList(0, words.size() - 1)) {
            Optional<Heredoc> heredoc = json.isPresent() ? Optional.empty() : heredocNamed(source, heredocs);
            if (heredoc.isPresent()) {
                inline.add(heredoc.get());
            } else {
                sources.add(source);
            }
        }
        if (add) {
            rejectRemote(sources);
        }
        return new Instruction.Copy(
                line,
                add,
                sources,
                words.get(words.size() - 1),
                flags.value("from").orElse(""),
                flags.value("chown").orElse(""),
                flags.value("chmod").orElse(""),
                inline);
    }

    /** ADD of a URL or a Git repository: Berth builds from the local context only. */
    static void rejectRemote(List<String> sources) throws InvalidInstructionException {
        for (String source : sources) {
            if (REMOTE.matcher(source).matches()) {
                throw new InvalidInstructionException("remote URLs are not supported: " + source);
            }
        }
    }

    private static Optional<Heredoc> heredocNamed(String word, List<Heredoc> heredocs) {
        var marker = HEREDOC_SOURCE.matcher(word);
        if (!marker.matches()) {
            return Optional.empty();
        }
        return heredocs.stream().filter(h -> h.name().equals(marker.group(2))).findFirst();
    }
}
