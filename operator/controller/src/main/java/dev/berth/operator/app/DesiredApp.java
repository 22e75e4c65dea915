package dev.berth.operator.app;

/**
 * What the reconciler decided before the dependents run: the image reference the pods run (pinned
 * {@code repo@sha256:…} when a digest is known), that digest, and the RuntimeClass.
 *
 * @param digest null when the image runs by tag (the registry could not be asked)
 */
public record DesiredApp(String image, String digest, String runtimeClassName) {
    public DesiredApp {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("a desired App needs an image");
        }
        if (runtimeClassName == null || runtimeClassName.isBlank()) {
            throw new IllegalArgumentException("a desired App needs a RuntimeClass");
        }
    }
}
