package dev.berth.testkit.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import dev.berth.testkit.registry.Processes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusyboxImageTest {

    @Test
    void layerHoldsBusyboxAppletLinksAndTheAppUser() throws IOException {
        Privileges.require(
                Files.isExecutable(BusyboxImage.BUSYBOX),
                "busybox-static is not installed (apt-get install busybox-static)");
        BusyboxImage busybox = BusyboxImage.fromHost();

        Map<String, TarArchiveEntry> entries = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(busybox.layerTar()))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), e);
                if (e.getName().startsWith("etc/")) {
                    texts.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }

        assertThat(entries.get("bin/busybox").getMode() & 07777).isEqualTo(0755);
        assertThat(entries.get("bin/busybox").getSize()).isEqualTo(Files.size(BusyboxImage.BUSYBOX));
        assertThat(entries.get("bin/sh").getLinkName()).isEqualTo("busybox");
        assertThat(entries.get("bin/sleep").getLinkName()).isEqualTo("busybox");
        assertThat(entries.get("tmp/").getMode() & 07777).isEqualTo(01777);
        assertThat(entries.get("home/app/").getLongUserId()).isEqualTo(1000);
        assertThat(texts.get("etc/passwd")).contains("app:x:1000:1000:");
        assertThat(texts.get("etc/group")).contains("app:x:1000:");
    }

    @Test
    void rootfsRunsItsShellAndKnowsTheAppUser(@TempDir Path dir) throws IOException {
        Privileges.require(
                Files.isExecutable(BusyboxImage.BUSYBOX),
                "busybox-static is not installed (apt-get install busybox-static)");
        Privileges.requireRoot();
        Path rootfs = dir.resolve("rootfs");

        BusyboxImage.fromHost().writeRootfs(rootfs);

        String out = Processes.run(
                List.of(
                        "chroot",
                        rootfs.toString(),
                        "/bin/sh",
                        "-c",
                        "id -u app; stat -c %a /tmp; stat -c %u /home/app"),
                10);
        assertThat(out.lines()).containsExactly("1000", "1777", "1000");
    }
}
