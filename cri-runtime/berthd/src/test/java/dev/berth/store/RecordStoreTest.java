package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {

    record Thing(int version, String id, String state) {}

    /** Unversioned things of an earlier release named their state "phase". */
    private static final RecordFormat<Thing> FORMAT = new RecordFormat<>(
            Thing.class,
            1,
            (node, json) ->
                    new Thing(1, node.get("id").asText(), node.get("phase").asText()));

    @TempDir
    Path dir;

    private static Thing thing(String id, String state) {
        return new Thing(1, id, state);
    }

    private RecordStore<Thing> store() throws IOException {
        return new RecordStore<>(dir, new Json(), FORMAT, Thing::id);
    }

    @Test
    void transientRecordIsVisibleAndFoundByTheNextStoreOnTheSameDirectory() throws Exception {
        RecordStore<Thing> store = store();

        store.putTransient(thing("a", "CREATING"));

        assertThat(store.get("a")).contains(thing("a", "CREATING"));
        RecordStore<Thing> reloaded = store();
        assertThat(reloaded.get("a")).contains(thing("a", "CREATING"));
    }

    @Test
    void durablePutReplacesATransientRecord() throws Exception {
        RecordStore<Thing> store = store();
        store.putTransient(thing("a", "CREATING"));

        store.put(thing("a", "READY"));

        assertThat(store().all()).containsExactly(thing("a", "READY"));
    }

    @Test
    void anUpdateThatLostARaceWithRemovalDoesNotBringTheRecordBack() throws Exception {
        RecordStore<Thing> store = store();
        store.put(thing("a", "CREATED"));

        store.remove("a");
        store.putTransient(thing("a", "RUNNING"));
        store.put(thing("a", "EXITED"));

        assertThat(store.get("a")).isEmpty();
        assertThat(store().all()).isEmpty();
    }

    /** A node cycling pods for months must not remember every ID it ever removed. */
    @Test
    void removedIdsAreForgottenOnceNoRacingCallCanStillUpdateThem() throws Exception {
        long[] now = {0};
        RecordStore<Thing> store = new RecordStore<>(dir, new Json(), FORMAT, Thing::id, () -> now[0]);
        store.put(thing("a", "CREATED"));
        store.put(thing("b", "CREATED"));
        store.remove("a");

        now[0] += RecordStore.TOMBSTONE_RETENTION.toNanos() + 1;
        store.remove("b");

        assertThat(store.tombstones()).isEqualTo(1);
        store.put(thing("b", "RUNNING"));
        assertThat(store.get("b")).as("still refused within the retention").isEmpty();
    }

    @Test
    void findTakesAFullIdOrAUniquePrefixOfTheMinimumLength() throws Exception {
        RecordStore<Thing> store = store();
        store.put(thing("abcdef01", "A"));
        store.put(thing("abcdef02", "B"));
        store.put(thing("123456ff", "C"));

        assertThat(store.find("abcdef01", 6)).contains(thing("abcdef01", "A"));
        assertThat(store.find("123456", 6)).contains(thing("123456ff", "C"));
        assertThat(store.find("abcdef", 6)).as("ambiguous").isEmpty();
        assertThat(store.find("12345", 6)).as("too short").isEmpty();
        assertThat(store.find("999999", 6)).isEmpty();
    }

    @Test
    void recordsCarryTheirFormatVersion() throws Exception {
        store().put(thing("a", "READY"));

        assertThat(Files.readString(dir.resolve("a.json"))).startsWith("{\"version\":1,");
    }

    @Test
    void anUnversionedRecordOfAnEarlierReleaseLoadsThroughTheMigration() throws Exception {
        Files.writeString(dir.resolve("old.json"), "{\"id\":\"old\",\"phase\":\"RUNNING\"}");

        assertThat(store().get("old")).contains(thing("old", "RUNNING"));
    }

    @Test
    void aRecordOfAnUnknownVersionStopsTheLoadNamingTheFile() throws Exception {
        store().put(thing("a", "READY"));
        Files.writeString(dir.resolve("b.json"), "{\"version\":2,\"id\":\"b\",\"state\":\"READY\"}");

        assertThatThrownBy(this::store)
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining(dir.resolve("b.json").toString())
                .hasMessageContaining("format version 2");
    }

    @Test
    void unparsableJsonStopsTheLoadNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("torn.json"), "{\"version\":1,\"id\":\"to");

        assertThatThrownBy(this::store)
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining(dir.resolve("torn.json").toString())
                .hasMessageContaining("not JSON");
    }

    @Test
    void aRecordOfTheRightVersionButTheWrongShapeStopsTheLoad() throws Exception {
        Files.writeString(dir.resolve("odd.json"), "{\"version\":1,\"id\":{\"nested\":true}}");

        assertThatThrownBy(this::store)
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining(dir.resolve("odd.json").toString());
    }

    @Test
    void anEmptyFileLeftByATransientWriteLostToAPowerFailureIsSkipped() throws Exception {
        store().put(thing("a", "READY"));
        Files.write(dir.resolve("lost.json"), new byte[0]);

        assertThat(store().all()).containsExactly(thing("a", "READY"));
    }
}
