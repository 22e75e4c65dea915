package dev.berth.cli.image;

/** An image reference split as people read it: repository, tag (or empty), digest (or empty). */
public record ImageRef(String repository, String tag, String digest) {

    public static ImageRef parse(String reference) {
        String rest = reference;
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageRef(rest, tag, digest);
    }

    /** The repository and tag of a {@code repo_tags} entry; {@code <none>} for what is missing, as docker shows it. */
    public static String[] repositoryAndTag(String repoTag) {
        ImageRef ref = parse(repoTag);
        return new String[] {ref.repository(), ref.tag().isEmpty() ? "<none>" : ref.tag()};
    }
}
