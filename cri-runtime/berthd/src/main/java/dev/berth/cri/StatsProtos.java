package dev.berth.cri;

import dev.berth.cgroup.CgroupStats;
import dev.berth.container.ContainerRecord;
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
import dev.berth.stats.ContainerUsage;
import dev.berth.stats.InterfaceUsage;
import dev.berth.stats.PodUsage;

/** Container and pod usage as CRI's stats messages. */
final class StatsProtos {

    private StatsProtos() {}

    static ContainerStats container(ContainerUsage usage) {
        ContainerRecord record = usage.container();
        ContainerStats.Builder stats = ContainerStats.newBuilder()
                .setAttributes(ContainerAttributes.newBuilder()
                        .setId(record.id())
                        .setMetadata(ContainerProtos.metadata(record))
                        .putAllLabels(record.metadata().labels())
                        .putAllAnnotations(record.metadata().annotations()));
        if (usage.cgroup() != null) {
            stats.setCpu(cpu(usage.cgroup(), usage.cpuNanoCores())).setMemory(memory(usage.cgroup()));
        }
        stats.setWritableLayer(FilesystemUsage.newBuilder()
                .setTimestamp(usage.writableTimestampNanos())
                .setFsId(FilesystemIdentifier.newBuilder()
                        .setMountpoint(usage.writableLayer().toString()))
                .setUsedBytes(u64(usage.writableBytes()))
                .setInodesUsed(u64(usage.writableInodes())));
        return stats.build();
    }

    static PodSandboxStats pod(PodUsage usage) {
        LinuxPodSandboxStats.Builder linux = LinuxPodSandboxStats.newBuilder();
        CgroupStats cgroup = usage.cgroup();
        if (cgroup != null) {
            linux.setCpu(cpu(cgroup, usage.cpuNanoCores()))
                    .setMemory(memory(cgroup))
                    .setProcess(ProcessUsage.newBuilder()
                            .setTimestamp(cgroup.timestampNanos())
                            .setProcessCount(u64(cgroup.pidsCurrent())));
        }
        for (ContainerUsage container : usage.containers()) {
            linux.addContainers(container(container));
        }
        if (usage.network() != null) {
            linux.setNetwork(network(usage.network()));
        }
        SandboxRecord sandbox = usage.sandbox();
        return PodSandboxStats.newBuilder()
                .setAttributes(PodSandboxAttributes.newBuilder()
                        .setId(sandbox.id())
                        .setMetadata(SandboxProtos.metadata(sandbox))
                        .putAllLabels(sandbox.metadata().labels())
                        .putAllAnnotations(sandbox.metadata().annotations()))
                .setLinux(linux)
                .build();
    }

    private static NetworkUsage network(PodUsage.NetworkUsage network) {
        NetworkUsage.Builder usage = NetworkUsage.newBuilder().setTimestamp(network.timestampNanos());
        for (InterfaceUsage i : network.interfaces()) {
            NetworkInterfaceUsage proto = NetworkInterfaceUsage.newBuilder()
                    .setName(i.name())
                    .setRxBytes(u64(i.rxBytes()))
                    .setRxErrors(u64(i.rxErrors()))
                    .setTxBytes(u64(i.txBytes()))
                    .setTxErrors(u64(i.txErrors()))
                    .build();
            usage.addInterfaces(proto);
            if (i.name().equals("eth0")) {
                usage.setDefaultInterface(proto);
            }
        }
        return usage.build();
    }

    private static CpuUsage cpu(CgroupStats usage, long nanoCores) {
        CpuUsage.Builder cpu = CpuUsage.newBuilder()
                .setTimestamp(usage.timestampNanos())
                .setUsageCoreNanoSeconds(u64(usage.cpuUsageNanos()));
        if (nanoCores >= 0) {
            cpu.setUsageNanoCores(u64(nanoCores));
        }
        return cpu.build();
    }

    private static MemoryUsage memory(CgroupStats usage) {
        return MemoryUsage.newBuilder()
                .setTimestamp(usage.timestampNanos())
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
