package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {

    record Thing(String id, String state) {
    }

    @TempDir
    Path dir;

    @Test
    void transientRecordIsVisibleAndFoundByTheNextStoreOnTheSameDirectory() throws Exception {
        RecordStore<Thing> store = new RecordStore<>(dir, new Json(), Thing.class, Thing::id);

        store.putTransient(new Thing("a", "CREATING"));

        assertThat(store.get("a")).contains(new Thing("a", "CREATING"));
        RecordStore<Thing> reloaded = new RecordStore<>(dir, new Json(), Thing.class, Thing::id);
        assertThat(reloaded.get("a")).contains(new Thing("a", "CREATING"));
    }

    @Test
    void durablePutReplacesATransientRecord() throws Exception {
        RecordStore<Thing> store = new RecordStore<>(dir, new Json(), Thing.class, Thing::id);
        store.putTransient(new Thing("a", "CREATING"));

        store.put(new Thing("a", "READY"));

        assertThat(new RecordStore<>(dir, new Json(), Thing.class, Thing::id).all())
                .containsExactly(new Thing("a", "READY"));
    }

    @Test
    void anUpdateThatLostARaceWithRemovalDoesNotBringTheRecordBack() throws Exception {
        RecordStore<Thing> store = new RecordStore<>(dir, new Json(), Thing.class, Thing::id);
        store.put(new Thing("a", "CREATED"));

        store.remove("a");
        store.putTransient(new Thing("a", "RUNNING"));
        store.put(new Thing("a", "EXITED"));

        assertThat(store.get("a")).isEmpty();
        assertThat(new RecordStore<>(dir, new Json(), Thing.class, Thing::id).all()).isEmpty();
    }

    @Test
    void findTakesAFullIdOrAUniquePrefixOfTheMinimumLength() throws Exception {
        RecordStore<Thing> store = new RecordStore<>(dir, new Json(), Thing.class, Thing::id);
        store.put(new Thing("abcdef01", "A"));
        store.put(new Thing("abcdef02", "B"));
        store.put(new Thing("123456ff", "C"));

        assertThat(store.find("abcdef01", 6)).contains(new Thing("abcdef01", "A"));
        assertThat(store.find("123456", 6)).contains(new Thing("123456ff", "C"));
        assertThat(store.find("abcdef", 6)).as("ambiguous").isEmpty();
        assertThat(store.find("12345", 6)).as("too short").isEmpty();
        assertThat(store.find("999999", 6)).isEmpty();
    }
}
