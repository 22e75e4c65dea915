package dev.berth.cli.run;

import dev.berth.cli.CliException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Container names: docker's rule for the ones people give, docker's style for the ones berth makes up. */
public final class Names {

    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final List<String> ADJECTIVES = List.of(
            "brave",
            "calm",
            "eager",
            "fervent",
            "gallant",
            "happy",
            "jolly",
            "keen",
            "lucid",
            "nifty",
            "quirky",
            "serene",
            "tender",
            "vibrant",
            "wizardly",
            "zealous");
    private static final List<String> NOUNS = List.of(
            "anchor",
            "beacon",
            "cove",
            "dock",
            "ferry",
            "harbor",
            "jetty",
            "keel",
            "lighthouse",
            "mooring",
            "pier",
            "quay",
            "rudder",
            "schooner",
            "tide",
            "wharf");

    private Names() {}

    public static String validate(String name) {
        if (!VALID.matcher(name).matches()) {
            throw new CliException("invalid container name \"" + name
                    + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at most 63 characters");
        }
        return name;
    }

    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_" + NOUNS.get(random.nextInt(NOUNS.size())) + "_"
                + random.nextInt(100, 1000);
    }

    /** The name as a Kubernetes object name (pod and container metadata, the log directory): DNS-1123. */
    public static String metadataName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    }
}
