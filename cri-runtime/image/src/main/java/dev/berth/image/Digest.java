package dev.berth.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** A content digest, {@code algorithm:encoded}, as OCI descriptors carry it. */
public record Digest(String algorithm, String encoded) {

    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(encoded, "encoded");
        int expected = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "'");
        };
        if (encoded.length() != expected || !HEX.matcher(encoded).matches()) {
            throw new IllegalArgumentException(
                    "invalid " + algorithm + " digest '" + encoded + "': want " + expected + " lowercase hex digits");
        }
    }

    public static Digest parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing digest");
        }
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid digest '" + value + "': want algorithm:hex");
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    public static Digest sha256(byte[] data) {
        return sha256OfHex(HexFormat.of().formatHex(sha256Digest().digest(data)));
    }

    public static Digest sha256OfHex(String hex) {
        return new Digest("sha256", hex);
    }

    /** A fresh SHA-256 hasher for streams that are verified while they are read. */
    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + encoded;
    }
}
