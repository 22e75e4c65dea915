package dev.berth.daemon;

/** One thing wrong with berth.yaml: the key as a path ({@code registries.docker.io.mirrors[0]}) and what is wrong. */
public record ConfigProblem(String key, String problem) {

    @Override
    public String toString() {
        return key + ": " + problem;
    }
}
