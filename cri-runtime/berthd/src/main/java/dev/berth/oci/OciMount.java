package dev.berth.oci;

import java.util.List;

/** One entry of the spec's {@code mounts}. */
record OciMount(String destination, String type, String source, List<String> options) {

    OciMount {
        options = List.copyOf(options);
    }

    /** Number of path components, so that "/a" sorts before "/a/b" and parents mount first. */
    int depth() {
        return destination.equals("/")
                ? 0
                : (int) destination.chars().filter(c -> c == '/').count();
    }
}
