package dev.berth.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scrape in Prometheus' text exposition format (0.0.4), parsed as a scraper does: {@code # TYPE} lines give each
 * family's type, every other non-comment line is one sample {@code name{label="value",...} value [timestamp]}, label
 * values with {@code \\}, {@code \"} and {@code \n} escaped. Anything else is a parse error, so a malformed
 * exposition fails the test that reads it.
 */
record Exposition(Map<String, String> types, List<Sample> samples) {

    record Sample(String name, Map<String, String> labels, double value) {}

    static Exposition parse(String text) {
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] words = line.split(" ", 4);
                if (words.length >= 4 && words[1].equals("TYPE")) {
                    types.put(words[2], words[3]);
                }
                continue;
            }
            samples.add(sample(line));
        }
        return new Exposition(Map.copyOf(types), List.copyOf(samples));
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name in: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("bad label in: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char escaped = line.charAt(++j);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).strip().split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("bad value in: " + line);
        }
        return new Sample(name, Map.copyOf(labels), number(rest[0]));
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** The one sample of {@code name} whose labels include {@code labels} (given as name, value, name, value...). */
    Optional<Double> value(String name, String... labels) {
        List<Sample> found = matching(name, labels);
        if (found.size() > 1) {
            throw new IllegalArgumentException(found.size() + " samples of " + name + " match " + List.of(labels));
        }
        return found.stream().findFirst().map(Sample::value);
    }

    List<Sample> matching(String name, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int k = 0; k < labels.length; k += 2) {
            wanted.put(labels[k], labels[k + 1]);
        }
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(wanted.entrySet()))
                .toList();
    }

    /** A histogram's buckets for one label set, in the order of their bounds: cumulative, ending at +Inf. */
    List<Sample> buckets(String histogram, String... labels) {
        return matching(histogram + "_bucket", labels).stream()
                .sorted((a, b) -> Double.compare(bound(a), bound(b)))
                .toList();
    }

    static double bound(Sample bucket) {
        return number(bucket.labels().get("le"));
    }
}
