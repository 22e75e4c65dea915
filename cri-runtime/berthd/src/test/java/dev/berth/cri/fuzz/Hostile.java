package dev.berth.cri.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The values a mutated field gets: strings from 1 KiB to 1 MiB, NUL bytes, unicode (combining marks, right-to-left,
 * astral planes, lone surrogates, which protobuf sends as '?'), path forms ({@code ..}, absolute, relative), random
 * bytes read as UTF-8, blank and control characters; numbers at and beyond every boundary; and the IDs of real
 * objects (given by {@code ids}, so a field gets the ID of another kind of object, a prefix of one, a removed one).
 */
final class Hostile {

    /** The longest single string: big requests are made by repeated fields, each kept under gRPC's 16 MiB. */
    static final int MAX_STRING = 1 << 20;

    private final Supplier<List<String>> ids;

    Hostile(Supplier<List<String>> ids) {
        this.ids = ids;
    }

    Gen<String> strings() {
        return Gen.frequency(
                Gen.weight(4, short_()),
                Gen.weight(2, longStrings()),
                Gen.weight(2, nulBytes()),
                Gen.weight(2, unicode()),
                Gen.weight(2, paths()),
                Gen.weight(1, randomBytes()),
                Gen.weight(2, ids()));
    }

    private static Gen<String> short_() {
        return Gen.oneOf(
                Gen.of(
                        "",
                        " ",
                        "\t",
                        "\n",
                        "\r\n",
                        "-",
                        "--",
                        "-1",
                        "0",
                        "=",
                        "a=b",
                        ":",
                        "*",
                        "%",
                        "%s%n",
                        "${HOME}",
                        "$(id)",
                        "`id`",
                        ";",
                        "|",
                        "&&",
                        "\\",
                        "\"",
                        "'",
                        "<>",
                        "{}",
                        "[]",
                        "null",
                        "NaN",
                        "localhost",
                        "127.0.0.1",
                        "::1",
                        "0.0.0.0",
                        "a.b.c",
                        "_",
                        "A",
                        "äöü"),
                Gen.strings(0, 64, Gen.bmpChar()),
                Gen.strings(0, 300, Gen.asciiChar()));
    }

    private static Gen<String> longStrings() {
        return Gen.oneOf(
                Gen.between(1024, MAX_STRING).map("a"::repeat),
                Gen.of(1024, 4096, 65_536, MAX_STRING).map("/x"::repeat).map(s -> s.substring(0, s.length() / 2)),
                Gen.strings(
                        1024, 16_384, Gen.charsOf("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")));
    }

    private static Gen<String> nulBytes() {
        return Gen.oneOf(
                Gen.of("\0", "a\0b", "\0\0\0", "/tmp/\0x", "sh\0-c", "k\0=v"),
                Gen.strings(1, 100, Gen.charsOf("a/\0=.")));
    }

    private static Gen<String> unicode() {
        return Gen.oneOf(
                Gen.of(
                        "\u202Eevil\u202C",
                        "e\u0301\u0301\u0301\u0301",
                        "\uD83D\uDE00\uD83D\uDE00",
                        "\uD800",
                        "\uDFFF\uD800",
                        "\uFEFF",
                        "\u0000\uFFFF",
                        "\u00A0",
                        "\u2028\u2029",
                        "ｆｕｌｌｗｉｄｔｈ",
                        "\u0130\u0131"),
                Gen.strings(1, 200, Gen.anyChar()),
                Gen.between(1, 20_000).map("\uD83D\uDCA5"::repeat));
    }

    private static Gen<String> paths() {
        return Gen.oneOf(
                Gen.of(
                        "..",
                        ".",
                        "../..",
                        "../../../../../../etc/passwd",
                        "/etc/passwd",
                        "/",
                        "//",
                        "/proc/self/root",
                        "/dev/null",
                        "./relative",
                        "relative/path",
                        "a/../../b",
                        "/a/./b/../../..",
                        "~",
                        "~root/x",
                        "C:\\Windows",
                        "/does/not/exist",
                        "file:///etc/passwd"),
                Gen.between(2, 200).map("../"::repeat),
                Gen.between(256, 8192).map(n -> "/" + "d".repeat(n)));
    }

    /** Random bytes decoded as UTF-8: malformed sequences become U+FFFD, the rest arbitrary code points. */
    private static Gen<String> randomBytes() {
        return Gen.bytes(1, 4096).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** Real IDs (read when generated, so they are current) as they are, cut short, doubled, suffixed, upper-cased. */
    Gen<String> ids() {
        return random -> {
            List<String> now = ids.get();
            if (now.isEmpty()) {
                return "0".repeat(64);
            }
            String id = now.get(random.nextInt(now.size()));
            return switch (random.nextInt(7)) {
                case 0 -> id.substring(0, Math.min(id.length(), 12));
                case 1 -> id.substring(0, Math.min(id.length(), 1));
                case 2 -> id + id;
                case 3 -> id + "/..";
                case 4 -> id.toUpperCase(Locale.ROOT);
                case 5 -> " " + id;
                default -> id;
            };
        };
    }

    /** Integers at and past each boundary a parser or a kernel interface has. */
    static Gen<Long> numbers() {
        return Gen.oneOf(
                Gen.of(
                        0L,
                        -1L,
                        1L,
                        2L,
                        Long.MAX_VALUE,
                        Long.MIN_VALUE,
                        Long.MAX_VALUE / 1000,
                        (long) Integer.MAX_VALUE,
                        (long) Integer.MIN_VALUE,
                        1L << 31,
                        1L << 32,
                        (1L << 32) - 1,
                        1L << 53,
                        65_535L,
                        65_536L,
                        -65_536L,
                        1000L,
                        1_000_000_000L),
                Gen.longs());
    }
}
