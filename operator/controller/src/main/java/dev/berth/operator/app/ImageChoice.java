package dev.berth.operator.app;

/** What the App's pods run, or why the reconciler must not touch the Deployment. */
public sealed interface ImageChoice {

    /**
     * @param digest null when running by tag
     * @param note   why the tag is not pinned (the registry's message), else null
     */
    record Run(String image, String digest, String note) implements ImageChoice {}

    /** @param reason a condition reason: ImageNotFound, ImageNotResolved */
    record Blocked(String reason, String message) implements ImageChoice {}

    /** {@code repo:tag}, {@code repo@sha256:…} or both → {@code repo@digest}, keeping the user's spelling of repo. */
    static String pin(String image, String digest) {
        String repo = image;
        int at = repo.indexOf('@');
        if (at >= 0) {
            repo = repo.substring(0, at);
        }
        int colon = repo.lastIndexOf(':');
        if (colon > repo.lastIndexOf('/')) {
            repo = repo.substring(0, colon);
        }
        return repo + "@" + digest;
    }
}
