package dev.berth.container;

import dev.berth.imagestore.Leases;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps image garbage collection off the layer snapshots a container's rootfs is mounted from, for as
 * long as the container exists: removing its image must not pull the floor from under it.
 */
public final class ContainerLeases {

    private final Leases leases;
    private final Map<String, Leases.Lease> held = new ConcurrentHashMap<>();

    public ContainerLeases(Leases leases) {
        this.leases = leases;
    }

    public void hold(String containerId, Collection<String> chainIds) {
        held.computeIfAbsent(containerId, id -> leases.acquire(chainIds));
    }

    public void release(String containerId) {
        Leases.Lease lease = held.remove(containerId);
        if (lease != null) {
            lease.close();
        }
    }
}
