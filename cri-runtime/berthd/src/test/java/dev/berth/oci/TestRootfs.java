package dev.berth.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory tree standing in for a container's root filesystem. */
final class TestRootfs {

    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            app:x:1000:1000::/home/app:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            """;
    static final String GROUP = """
            root:x:0:
            wheel:x:10:root,app
            app:x:1000:
            video:x:44:app
            staff:x:50:
            nogroup:x:65534:
            """;

    private TestRootfs() {}

    static Path withEtc(Path root) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), PASSWD);
        Files.writeString(root.resolve("etc/group"), GROUP);
        return root;
    }
}
