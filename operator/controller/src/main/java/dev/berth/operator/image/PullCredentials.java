package dev.berth.operator.image;

import dev.berth.image.registry.RegistryCredentials;
import java.util.List;

/**
 * The credentials an Image's pull secrets hold for its registry ({@link RegistryCredentials#NONE} when none match),
 * and what was wrong with the secrets, to explain a refused pull.
 */
public record PullCredentials(RegistryCredentials credentials, List<String> problems) {
    public PullCredentials {
        problems = List.copyOf(problems);
    }

    /** The problems as a sentence to append to a registry's refusal, or "" when there are none. */
    public String explanation() {
        return problems.isEmpty() ? "" : " (pull secrets: " + String.join("; ", problems) + ")";
    }
}
