package dev.berth.operator.nodeagent;

import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImagePullSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * How the agent of a node names and labels its ImagePull of an Image: {@code <image>-<node>-<hash>}, the hash of
 * both names so that "a-b"/"c" and "a"/"b-c" never collide, cut to fit the 253 characters of an object name; the
 * node label (or, for names longer than a label value may be, a hash of the node name) lets each agent watch its own.
 */
public final class ImagePulls {
    public static final String NODE_LABEL = "berth.dev/node";
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL_VALUE = 63;
    private static final int HASH_CHARS = 10;

    private ImagePulls() {}

    public static String name(String image, String node) {
        String hash = hash(image + "/" + node);
        String readable = image + "-" + node;
        int room = MAX_NAME - HASH_CHARS - 1;
        if (readable.length() > room) {
            readable = readable.substring(0, room);
        }
        // a name part must not end in '.' or '-' before the hash
        return readable.replaceAll("[.-]+$", "") + "-" + hash;
    }

    public static String nodeLabel(String node) {
        return node.length() <= MAX_LABEL_VALUE ? node : "h" + hash(node);
    }

    /** A new ImagePull of {@code image} for {@code node}, owned by the Image so that it is deleted with it. */
    public static ImagePull of(Image image, String node) {
        ImagePull pull = new ImagePull();
        pull.setMetadata(new ObjectMetaBuilder()
                .withName(name(image.getMetadata().getName(), node))
                .withNamespace(image.getMetadata().getNamespace())
                .withLabels(Map.of(NODE_LABEL, nodeLabel(node)))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(image.getApiVersion())
                        .withKind(image.getKind())
                        .withName(image.getMetadata().getName())
                        .withUid(image.getMetadata().getUid())
                        .build())
                .build());
        ImagePullSpec spec = new ImagePullSpec();
        spec.setImage(image.getMetadata().getName());
        spec.setNode(node);
        pull.setSpec(spec);
        return pull;
    }

    private static String hash(String text) {
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sum).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
