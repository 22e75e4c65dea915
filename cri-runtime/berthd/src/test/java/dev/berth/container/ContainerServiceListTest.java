package dev.berth.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.TestRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a list call learns of exits conmon reported, and whether listing would have to record one first. */
class ContainerServiceListTest {

    @TempDir
    Path dir;

    private ContainerUnitBed bed;
    private ContainerRecord running;

    @BeforeEach
    void setUp() throws IOException {
        bed = new ContainerUnitBed(dir);
        running = TestRecords.container("ctr1", "pod1", "app", 0, "/berth/pod1/ctr1", 15, ContainerState.RUNNING, 4242);
        bed.store.put(running);
    }

    @Test
    void aRunningContainerWithoutAnExitFileLeavesNothingToRecord() throws IOException {
        assertThat(bed.service.listUnlessExitsToRecord(record -> true)).contains(List.of(running));
        assertThat(bed.service.listUnlessExitsToRecord(record -> false)).contains(List.of());
    }

    @Test
    void anExitFileOfALiveContainerIsToBeRecordedUntilAListRecordsIt() throws IOException {
        Files.createDirectories(bed.paths.exits());
        Files.writeString(bed.paths.exits().resolve(running.id()), "3");

        assertThat(bed.service.listUnlessExitsToRecord(record -> true)).isEmpty();
        ContainerRecord listed = bed.service.list(record -> true).getFirst();

        assertThat(listed.state()).isEqualTo(ContainerState.EXITED);
        assertThat(listed.status().exitCode()).isEqualTo(3);
        assertThat(bed.service.listUnlessExitsToRecord(record -> true)).contains(List.of(listed));
    }

    @Test
    void anExitFileOfAContainerNotInTheStoreIsNothingToRecord() throws IOException {
        Files.createDirectories(bed.paths.exits());
        Files.writeString(bed.paths.exits().resolve("gone"), "0");

        assertThat(bed.service.listUnlessExitsToRecord(record -> true)).contains(List.of(running));
    }
}
