package dev.berth.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ImageSpec;
import dev.berth.imagestore.ImageRecord;
import dev.berth.oci.ResolvedUser;
import dev.berth.store.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerRecordTest {

    private static final String ID = "sha256:" + "ab".repeat(32);
    private static final ImageRecord IMAGE = new ImageRecord(
            ID,
            List.of("registry.test/app:1"),
            List.of("registry.test/app@sha256:" + "cd".repeat(32)),
            "sha256:" + "cd".repeat(32),
            "application/vnd.oci.image.manifest.v1+json",
            ID,
            List.of(),
            1,
            "linux/amd64",
            0);

    @TempDir
    Path dir;

    @Test
    void aRecordWrittenBeforeImageNameAndUserExistedStillLoads() throws Exception {
        Path file = dir.resolve("c1.json");
        Files.writeString(file, """
                {"id":"c1","sandboxId":"p1","name":"web","attempt":0,"image":"sha256:abc","imageId":"sha256:abc",
                 "imageRef":"r@sha256:abc","state":"RUNNING","snapshots":[],"createdAtNanos":1}
                """);

        ContainerRecord record = ContainerRecordFormat.format().read(file, new Json());

        assertThat(record.metadata().imageName())
                .as("the requested image stands in")
                .isEqualTo("sha256:abc");
        assertThat(record.status().user()).isNull();
        assertThat(record.status().resources()).isEqualTo(ContainerResources.NONE);
        assertThat(record.metadata().mounts()).isEmpty();
    }

    @Test
    void transitionsChangeTheStatusAndKeepTheMetadata() throws Exception {
        ContainerMetadata metadata = new ContainerMetadata(
                "c1",
                "p1",
                "web",
                0,
                ID,
                "app:1",
                "app:1",
                ID,
                "r@sha256:x",
                null,
                null,
                "",
                "/c",
                "/log",
                15,
                null,
                null,
                1,
                null);
        ContainerResources limits = new ContainerResources(0, 0, 512, 0, 0, "", "", null, null, 0);
        ContainerRecord record = ContainerRecord.creating(metadata, ContainerResources.NONE)
                .created(10, 11, new ResolvedUser(1000, 1000, List.of(1000L, 50L)))
                .started(20)
                .withResources(limits)
                .exited(30, 137, "OOMKilled", "out of memory");

        assertThat(record.metadata()).isSameAs(metadata);
        assertThat(record.status())
                .isEqualTo(new ContainerStatus(
                        ContainerState.EXITED,
                        20,
                        30,
                        137,
                        "OOMKilled",
                        "out of memory",
                        10,
                        11,
                        new ResolvedUser(1000, 1000, List.of(1000L, 50L)),
                        limits,
                        null));
        assertThat(record.isLive()).isFalse();
    }

    @Test
    void imageNameAndUserSurviveTheRoundTrip() throws Exception {
        Json json = new Json();
        ContainerMetadata metadata = new ContainerMetadata(
                "c1",
                "p1",
                "web",
                0,
                ID,
                "app:1",
                "",
                ID,
                "r@sha256:x",
                null,
                null,
                "",
                "/c",
                "/log",
                15,
                null,
                null,
                1,
                null);
        ContainerRecord record = ContainerRecord.creating(metadata, ContainerResources.NONE)
                .created(10, 11, new ResolvedUser(1000, 1000, List.of(1000L, 50L)));
        Path file = dir.resolve("c1.json");
        Files.write(file, json.toBytes(record));

        ContainerRecord read = ContainerRecordFormat.format().read(file, json);

        assertThat(read.metadata().imageName()).isEqualTo("app:1");
        assertThat(read.status().user()).isEqualTo(new ResolvedUser(1000, 1000, List.of(1000L, 50L)));
    }

    @Test
    void statusNamesTheImageAsThePodSpecWroteItOrItsTagWhenAskedForByIdOnly() {
        assertThat(ContainerCreator.imageName(
                        ImageSpec.newBuilder()
                                .setImage(ID)
                                .setUserSpecifiedImage("app:1")
                                .build(),
                        IMAGE))
                .isEqualTo("app:1");
        assertThat(ContainerCreator.imageName(
                        ImageSpec.newBuilder().setImage(ID).build(), IMAGE))
                .isEqualTo("registry.test/app:1");
        assertThat(ContainerCreator.imageName(
                        ImageSpec.newBuilder().setImage("abababab").build(), IMAGE))
                .isEqualTo("registry.test/app:1");
        assertThat(ContainerCreator.imageName(
                        ImageSpec.newBuilder().setImage("registry.test/app:1").build(), IMAGE))
                .isEqualTo("registry.test/app:1");
        assertThat(ContainerCreator.imageName(
                        ImageSpec.newBuilder().setImage("app").build(), IMAGE))
                .isEqualTo("app");
    }
}
