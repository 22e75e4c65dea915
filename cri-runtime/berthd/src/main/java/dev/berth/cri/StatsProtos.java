package dev.berth.cri;

import dev.berth.store.Timestamps;
import dev.berth.cgroup.CgroupManager;
import dev.berth.cgroup.CgroupStats;
import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerRootfs;
import dev.berth.container.ContainerState;
import dev.berth.cri.v1.ContainerAttributes;
import dev.berth.cri.v1.ContainerStats;
import dev.berth.cri.v1.CpuUsage;
import dev.berth.cri.v1.FilesystemIdentifier;
import dev.berth.cri.v1.FilesystemUsage;
import dev.berth.cri.v1.LinuxPodSandboxStats;
import dev.berth.cri.v1.MemoryUsage;
import dev.berth.cri.v1.NetworkInterfaceUsage;
import dev.berth.cri.v1.NetworkUsage;
import dev.berth.cri.v1.PodSandboxAttributes;
import dev.berth.cri.v1.PodSandboxStats;
import dev.berth.cri.v1.ProcessUsage;
import dev.berth.cri.v1.UInt64Value;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.stats.CpuRates;
import dev.berth.stats.InterfaceUsage;
import dev.berth.stats.NetworkCounters;
import java.io.IOException;
import java.util.List;

/**
 * Container and pod stats as CRI wants them, read from the cgroups berthd created, the containers'
 * writable layers and the pods' network namespaces.
 */
final class StatsProtos {

    private final CgroupManager cgroups;
    private final ContainerRootfs rootfs;
    private final NetworkCounters network;
    private final CpuRates rates = new CpuRates();

    StatsProtos(CgroupManager cgroups, ContainerRootfs rootfs, NetworkCounters network) {
        this.cgroups = cgroups;
        this.rootfs = rootfs;
        this.network = network;
    }

    ContainerStats container(ContainerRecord record) throws IOException {
        ContainerStats.Builder stats = ContainerStats.newBuilder().setAttributes(ContainerAttributes.newBuilder()
                .setId(record.id())
                .setMetadata(ContainerProtos.metadata(record))
                .putAllLabels(record.metadata().labels())
                .putAllAnnotations(record.metadata().annotations()));
        long now = Timestamps.nowNanos();
        if (record.state() == ContainerState.RUNNING && cgroups.exists(record.cgroupPath())) {
            CgroupStats usage = cgroups.stats(record.cgroupPath());
            stats.setCpu(cpu(record.id(), usage)).setMemory(memory(usage));
        }
        ContainerRootfs.WritableUsage writable = rootfs.usage(record.id());
        stats.setWritableLayer(FilesystemUsage.newBuilder()
                .setTimestamp(now)
                .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(writable.upperDir().toString()))
                .setUsedBytes(u64(writable.bytes()))
                .setInodesUsed(u64(writable.inodes())));
        return stats.build();
    }

    PodSandboxStats pod(SandboxRecord sandbox, List<ContainerRecord> containers) throws IOException {
        LinuxPodSandboxStats.Builder linux = LinuxPodSandboxStats.newBuilder();
        if (cgroups.exists(sandbox.cgroupPath())) {
            CgroupStats usage = cgroups.stats(sandbox.cgroupPath());
            linux.setCpu(cpu("pod-" + sandbox.id(), usage)).setMemory(memory(usage))
                    .setProcess(ProcessUsage.newBuilder().setTimestamp(usage.timestampNanos())
                            .setProcessCount(u64(usage.pidsCurrent())));
        }
        for (ContainerRecord container : containers) {
            linux.addContainers(container(container));
        }
        containers.stream().filter(c -> c.state() == ContainerState.RUNNING && c.status().pid() > 0).findFirst()
                .ifPresent(c -> linux.setNetwork(network(c.status().pid())));
        return PodSandboxStats.newBuilder()
                .setAttributes(PodSandboxAttributes.newBuilder()
                        .setId(sandbox.id())
                        .setMetadata(SandboxProtos.metadata(sandbox))
                        .putAllLabels(sandbox.metadata().labels())
                        .putAllAnnotations(sandbox.metadata().annotations()))
                .setLinux(linux)
                .build();
    }

    private NetworkUsage network(int pid) {
        NetworkUsage.Builder usage = NetworkUsage.newBuilder().setTimestamp(Timestamps.nowNanos());
        List<InterfaceUsage> interfaces;
        try {
            interfaces = network.read(pid);
        } catch (IOException | RuntimeException e) {
            return usage.build();
        }
        for (InterfaceUsage i : interfaces) {
            NetworkInterfaceUsage proto = NetworkInterfaceUsage.newBuilder().setName(i.name())
                    .setRxBytes(u64(i.rxBytes())).setRxErrors(u64(i.rxErrors()))
                    .setTxBytes(u64(i.txBytes())).setTxErrors(u64(i.txErrors())).build();
            usage.addInterfaces(proto);
            if (i.name().equals("eth0")) {
                usage.setDefaultInterface(proto);
            }
        }
        return usage.build();
    }

    private CpuUsage cpu(String key, CgroupStats usage) {
        CpuUsage.Builder cpu = CpuUsage.newBuilder().setTimestamp(usage.timestampNanos())
                .setUsageCoreNanoSeconds(u64(usage.cpuUsageNanos()));
        long rate = rates.rate(key, usage.timestampNanos(), usage.cpuUsageNanos());
        if (rate >= 0) {
            cpu.setUsageNanoCores(u64(rate));
        }
        return cpu.build();
    }

    private static MemoryUsage memory(CgroupStats usage) {
        return MemoryUsage.newBuilder().setTimestamp(usage.timestampNanos())
                .setWorkingSetBytes(u64(usage.memoryWorkingSetBytes()))
                .setUsageBytes(u64(usage.memoryUsageBytes()))
                .setRssBytes(u64(usage.memoryRssBytes()))
                .setPageFaults(u64(usage.pageFaults()))
                .setMajorPageFaults(u64(usage.majorPageFaults()))
                .build();
    }

    private static UInt64Value u64(long value) {
        return UInt64Value.newBuilder().setValue(Math.max(0, value)).build();
    }
}
