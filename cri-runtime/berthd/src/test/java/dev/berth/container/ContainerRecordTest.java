package dev.berth.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ImageSpec;
import dev.berth.images.ImageRecord;
import dev.berth.oci.ResolvedUser;
import dev.berth.store.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerRecordTest {

    private static final String ID = "sha256:" + "ab".repeat(32);
    private static final ImageRecord IMAGE = new ImageRecord(ID, List.of("registry.test/app:1"),
            List.of("registry.test/app@sha256:" + "cd".repeat(32)), "sha256:" + "cd".repeat(32),
            "application/vnd.oci.image.manifest.v1+json", ID, List.of(), 1, "linux/amd64", 0);

    @Test
    void aRecordWrittenBeforeImageNameAndUserExistedStillLoads() throws Exception {
        String old = """
                {"id":"c1","sandboxId":"p1","name":"web","attempt":0,"image":"sha256:abc","imageId":"sha256:abc",
                 "imageRef":"r@sha256:abc","state":"RUNNING","snapshots":[],"createdAtNanos":1}
                """;

        ContainerRecord record = new Json().mapper().readValue(old, ContainerRecord.class);

        assertThat(record.imageName()).isNull();
        assertThat(record.user()).isNull();
        assertThat(record.displayImage()).isEqualTo("sha256:abc");
    }

    @Test
    void imageNameAndUserSurviveTheRoundTrip() throws Exception {
        Json json = new Json();
        ContainerRecord record = new ContainerRecord("c1", "p1", "web", 0, ID, ID, "r@sha256:x", null, null, "", "/c",
                "/log", 15, null, 1, 0, 0, ContainerState.CREATING, 0, "", "", 0, 0, null, null, "app:1", null)
                .created(10, 11, new ResolvedUser(1000, 1000, List.of(1000L, 50L)));

        ContainerRecord read = json.mapper().readValue(json.toBytes(record), ContainerRecord.class);

        assertThat(read.displayImage()).isEqualTo("app:1");
        assertThat(read.user()).isEqualTo(new ResolvedUser(1000, 1000, List.of(1000L, 50L)));
    }

    @Test
    void statusNamesTheImageAsThePodSpecWroteItOrItsTagWhenAskedForByIdOnly() {
        assertThat(ContainerCreator.imageName(ImageSpec.newBuilder().setImage(ID).setUserSpecifiedImage("app:1").build(),
                IMAGE)).isEqualTo("app:1");
        assertThat(ContainerCreator.imageName(ImageSpec.newBuilder().setImage(ID).build(), IMAGE))
                .isEqualTo("registry.test/app:1");
        assertThat(ContainerCreator.imageName(ImageSpec.newBuilder().setImage("abababab").build(), IMAGE))
                .isEqualTo("registry.test/app:1");
        assertThat(ContainerCreator.imageName(ImageSpec.newBuilder().setImage("registry.test/app:1").build(), IMAGE))
                .isEqualTo("registry.test/app:1");
        assertThat(ContainerCreator.imageName(ImageSpec.newBuilder().setImage("app").build(), IMAGE)).isEqualTo("app");
    }
}
