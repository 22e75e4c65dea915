package dev.berth.image.reference;

import dev.berth.image.Digest;
import java.util.regex.Pattern;

/**
 * A normalised image reference, as Docker's distribution/reference package normalises them:
 * {@code busybox} is {@code docker.io/library/busybox:latest}. Tag and digest are nullable; a
 * reference with neither gets the tag {@code latest}.
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "(?::[0-9]+)?|\\[[a-fA-F0-9:]+\\](?::[0-9]+)?");
    private static final int MAX_NAME_LENGTH = 255;

    public static ImageReference parse(String reference) throws InvalidReferenceException {
        if (reference == null || reference.isBlank()) {
            throw new InvalidReferenceException(String.valueOf(reference), "empty");
        }
        String rest = reference;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw new InvalidReferenceException(reference, e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidReferenceException(reference, "invalid tag \"" + tag + "\"");
            }
        }
        String registry;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash >= 0
                && (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("["))) {
            if (!DOMAIN.matcher(first).matches()) {
                throw new InvalidReferenceException(reference, "invalid registry host \"" + first + "\"");
            }
            registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
            path = rest.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            path = rest;
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (path.isEmpty()) {
            throw new InvalidReferenceException(reference, "missing repository name");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                String problem = component.chars().anyMatch(Character::isUpperCase)
                        ? "repository name must be lowercase"
                        : "invalid repository path component \"" + component + "\"";
                throw new InvalidReferenceException(reference, problem);
            }
        }
        if (registry.length() + 1 + path.length() > MAX_NAME_LENGTH) {
            throw new InvalidReferenceException(reference, "name longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, path, tag, digest);
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, null, newDigest);
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
