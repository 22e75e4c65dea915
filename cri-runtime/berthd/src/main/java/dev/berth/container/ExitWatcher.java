package dev.berth.container;

import dev.berth.store.Directories;
import dev.berth.store.RecordStore;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a container exiting by itself when conmon writes its exit file (inotify on the exit dir), so the
 * exit is recorded, and its STOPPED event sent, at once rather than at the next call that looks. Only
 * RUNNING containers are handled here: a CREATED one being started or stopped is observed by that call.
 */
public final class ExitWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExitWatcher.class);

    private final RecordStore<ContainerRecord> store;
    private final ContainerObserver observer;
    private final WatchService watcher;
    private final Thread thread;

    public ExitWatcher(RecordStore<ContainerRecord> store, ContainerObserver observer, Path exitDir)
            throws IOException {
        this.store = store;
        this.observer = observer;
        Directories.createPrivate(exitDir);
        this.watcher = exitDir.getFileSystem().newWatchService();
        // conmon writes a temporary file and renames it into place; the rename is reported as a create
        exitDir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        this.thread = Thread.ofVirtual().name("berth-exit-watcher").unstarted(this::run);
    }

    public void start() {
        thread.start();
        // exits while berthd was down or before the watch began are in the directory already
        observeAllRunning();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        observeAllRunning();
                    } else if (event.context() instanceof Path name) {
                        store.get(name.toString()).ifPresent(this::observeIfRunning);
                    }
                }
                key.reset();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            log.debug("exit watcher stopped");
        }
    }

    private void observeAllRunning() {
        store.all().forEach(this::observeIfRunning);
    }

    private void observeIfRunning(ContainerRecord record) {
        if (record.state() != ContainerState.RUNNING) {
            return;
        }
        try {
            observer.observe(record);
        } catch (IOException | RuntimeException e) {
            // a partly written exit file shows up again as a modification
            log.debug("container {}: exit not readable yet: {}", record.id(), e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
