package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerMetadata;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EncodedProtosTest {

    private record Row(String id, String name) {}

    private final AtomicInteger builds = new AtomicInteger();
    private final EncodedProtos<Row, Container> protos = new EncodedProtos<>(row -> {
        builds.incrementAndGet();
        return Container.newBuilder()
                .setId(row.id())
                .setMetadata(ContainerMetadata.newBuilder().setName(row.name()))
                .putLabels("io.kubernetes.container.name", row.name())
                .build();
    });

    @Test
    void theSameRecordIsBuiltOnceAndServedAsBuilt() {
        Row row = new Row("c1", "wéb");

        Container first = protos.of(row.id(), row);
        Container again = protos.of(row.id(), row);

        assertThat(builds).hasValue(1);
        assertThat(again).isSameAs(first);
        assertThat(first.getId()).isEqualTo("c1");
        assertThat(first.getMetadata().getName()).isEqualTo("wéb");
        assertThat(first.getLabelsMap()).containsEntry("io.kubernetes.container.name", "wéb");
    }

    @Test
    void theKeptMessageSerializesAsTheBuiltOne() {
        Row row = new Row("c1", "wéb");
        Container built = Container.newBuilder()
                .setId("c1")
                .setMetadata(ContainerMetadata.newBuilder().setName("wéb"))
                .putLabels("io.kubernetes.container.name", "wéb")
                .build();

        assertThat(protos.of(row.id(), row).toByteString()).isEqualTo(built.toByteString());
    }

    @Test
    void aRecordTheStoreReplacedIsBuiltAgainEvenWhenEqual() {
        protos.of("c1", new Row("c1", "web"));

        Container replaced = protos.of("c1", new Row("c1", "web"));
        Container changed = protos.of("c1", new Row("c1", "db"));

        assertThat(builds).hasValue(3);
        assertThat(replaced.getMetadata().getName()).isEqualTo("web");
        assertThat(changed.getMetadata().getName()).isEqualTo("db");
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
