package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.ListContainersResponse;
import dev.berth.cri.v1.ListPodSandboxResponse;
import dev.berth.cri.v1.PodSandbox;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EncodedProtosTest {

    private record Row(String id, String name) {}

    private final AtomicInteger builds = new AtomicInteger();
    private final EncodedProtos<Row> protos = new EncodedProtos<>(row -> {
        builds.incrementAndGet();
        return container(row.id(), row.name());
    });

    private static Container container(String id, String name) {
        return Container.newBuilder()
                .setId(id)
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .putLabels("io.kubernetes.container.name", name)
                .putAnnotations("io.kubernetes.container.restartCount", "0")
                .build();
    }

    @Test
    void theSameRecordIsEncodedOnceAsItsBuiltMessage() {
        Row row = new Row("c1", "wéb");

        ByteString first = protos.of(row.id(), row);
        ByteString again = protos.of(row.id(), row);

        assertThat(builds).hasValue(1);
        assertThat(again).isSameAs(first);
        assertThat(first).isEqualTo(container("c1", "wéb").toByteString());
    }

    @Test
    void aListAnswerIsOnTheWireWhatAddingItsItemsGives() throws Exception {
        Container web = container("c1", "wéb");
        Container db = container("c2", "db");
        ListContainersResponse added = ListContainersResponse.newBuilder()
                .addContainers(web)
                .addContainers(db)
                .build();

        ListContainersResponse assembled = EncodedProtos.listOf(
                ListContainersResponse.getDefaultInstance(),
                ListContainersResponse.CONTAINERS_FIELD_NUMBER,
                List.of(protos.of("c1", new Row("c1", "wéb")), protos.of("c2", new Row("c2", "db"))));

        assertThat(assembled.toByteString()).isEqualTo(added.toByteString());
        assertThat(assembled.getSerializedSize()).isEqualTo(added.getSerializedSize());
        assertThat(ListContainersResponse.parseFrom(assembled.toByteString())).isEqualTo(added);
    }

    @Test
    void aListAnswerDecodedReadsItsItems() {
        PodSandbox pod =
                PodSandbox.newBuilder().setId("p1").putLabels("app", "web").build();

        ListPodSandboxResponse assembled = EncodedProtos.listOf(
                ListPodSandboxResponse.getDefaultInstance(),
                ListPodSandboxResponse.ITEMS_FIELD_NUMBER,
                List.of(pod.toByteString()));

        assertThat(EncodedProtos.decoded(assembled).getItemsList()).containsExactly(pod);
    }

    @Test
    void anEmptyListIsTheEmptyAnswer() {
        ListContainersResponse assembled = EncodedProtos.listOf(
                ListContainersResponse.getDefaultInstance(), ListContainersResponse.CONTAINERS_FIELD_NUMBER, List.of());

        assertThat(assembled.toByteString()).isEqualTo(ByteString.EMPTY);
    }

    @Test
    void aRecordTheStoreReplacedIsBuiltAgainEvenWhenEqual() {
        protos.of("c1", new Row("c1", "web"));

        ByteString replaced = protos.of("c1", new Row("c1", "web"));
        ByteString changed = protos.of("c1", new Row("c1", "db"));

        assertThat(builds).hasValue(3);
        assertThat(replaced).isEqualTo(container("c1", "web").toByteString());
        assertThat(changed).isEqualTo(container("c1", "db").toByteString());
    }

    @Test
    void recordsNoLongerHeldAreForgotten() {
        Row kept = new Row("c1", "web");
        Row removed = new Row("c2", "db");
        protos.of(kept.id(), kept);
        protos.of(removed.id(), removed);

        protos.retainOnly(Set.of("c1"));
        protos.of(kept.id(), kept);
        protos.of(removed.id(), removed);

        assertThat(builds).hasValue(3);
    }
}
