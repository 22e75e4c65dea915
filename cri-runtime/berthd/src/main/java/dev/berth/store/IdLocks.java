package dev.berth.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per ID, held while a call changes what the ID names, so that two CRI calls on the same pod
 * (RemovePodSandbox while CreateContainer runs) happen one after the other instead of tearing down what
 * the other is still building. Reentrant: RemovePodSandbox stops the pod under the lock it already holds.
 * Entries live only while someone holds or waits for them.
 */
public final class IdLocks {

    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    /** A held lock; closing it releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public Held lock(String id) {
        Entry entry;
        synchronized (entries) {
            entry = entries.computeIfAbsent(id, key -> new Entry());
            entry.users++;
        }
        entry.lock.lock();
        return () -> {
            entry.lock.unlock();
            synchronized (entries) {
                if (--entry.users == 0) {
                    entries.remove(id);
                }
            }
        };
    }
}
