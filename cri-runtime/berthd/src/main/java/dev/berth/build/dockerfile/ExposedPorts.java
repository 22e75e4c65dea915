package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** EXPOSE's {@code port[-port][/proto]} into the image config's {@code "80/tcp"} keys, one per port. */
final class ExposedPorts {

    private static final Pattern SPEC = Pattern.compile("(\\d+)(?:-(\\d+))?(?:/([A-Za-z]+))?");
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");
    private static final int MAX_RANGE = 65536;

    private ExposedPorts() {}

    static List<String> keys(List<String> specs) throws InvalidInstructionException {
        List<String> keys = new ArrayList<>();
        for (String spec : specs) {
            if (spec.contains(":")) {
                throw new InvalidInstructionException("port mappings are not allowed in EXPOSE: " + spec);
            }
            Matcher matcher = SPEC.matcher(spec);
            if (!matcher.matches()) {
                throw new InvalidInstructionException("invalid port " + spec);
            }
            int first = port(matcher.group(1), spec);
            int last = matcher.group(2) == null ? first : port(matcher.group(2), spec);
            if (last < first) {
                throw new InvalidInstructionException("invalid port range " + spec);
            }
            String protocol =
                    matcher.group(3) == null ? "tcp" : matcher.group(3).toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw new InvalidInstructionException("invalid protocol " + protocol + " in " + spec);
            }
            for (int port = first; port <= last; port++) {
                keys.add(port + "/" + protocol);
            }
        }
        return keys;
    }

    private static int port(String digits, String spec) throws InvalidInstructionException {
        if (digits.length() > 5 || Integer.parseInt(digits) >= MAX_RANGE) {
            throw new InvalidInstructionException("invalid port " + spec);
        }
        return Integer.parseInt(digits);
    }
}
