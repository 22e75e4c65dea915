package dev.berth.cri.validation;

import dev.berth.cri.v1.DNSConfig;
import dev.berth.cri.v1.LinuxPodSandboxConfig;
import dev.berth.cri.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PortMapping;
import dev.berth.cri.v1.Protocol;
import java.util.Map;

/** PodSandboxConfig, as RunPodSandbox gets it and CreateContainer gets it again. */
final class PodConfigChecks {

    private PodConfigChecks() {}

    static void check(String field, PodSandboxConfig config) throws InvalidRequestException {
        var metadata = config.getMetadata();
        Check.required(field + ".metadata.name", metadata.getName(), RequestLimits.MAX_NAME_BYTES);
        Check.required(field + ".metadata.namespace", metadata.getNamespace(), RequestLimits.MAX_NAME_BYTES);
        Check.required(field + ".metadata.uid", metadata.getUid(), RequestLimits.MAX_NAME_BYTES);
        Names.hostname(field + ".hostname", config.getHostname());
        Check.text(field + ".log_directory", config.getLogDirectory(), RequestLimits.MAX_PATH_BYTES);
        dns(field + ".dns_config", config.getDnsConfig());
        Check.count(field + ".port_mappings", config.getPortMappingsCount(), RequestLimits.MAX_PORT_MAPPINGS);
        for (int i = 0; i < config.getPortMappingsCount(); i++) {
            port(field + ".port_mappings[" + i + "]", config.getPortMappings(i));
        }
        Check.labels(field + ".labels", config.getLabelsMap());
        Check.labels(field + ".annotations", config.getAnnotationsMap());
        linux(field + ".linux", config.getLinux());
    }

    private static void dns(String field, DNSConfig dns) throws InvalidRequestException {
        Check.count(field + ".servers", dns.getServersCount(), RequestLimits.MAX_DNS_SERVERS);
        for (int i = 0; i < dns.getServersCount(); i++) {
            Names.ip(field + ".servers[" + i + "]", dns.getServers(i));
        }
        Check.texts(
                field + ".searches",
                dns.getSearchesList(),
                RequestLimits.MAX_DNS_SEARCHES,
                RequestLimits.MAX_NAME_BYTES);
        long searches =
                dns.getSearchesList().stream().mapToLong(Check::utf8Bytes).sum();
        if (searches > RequestLimits.MAX_DNS_SEARCH_TOTAL_BYTES) {
            throw new InvalidRequestException(
                    field + ".searches",
                    "are " + searches + " bytes together, more than " + RequestLimits.MAX_DNS_SEARCH_TOTAL_BYTES);
        }
        Check.texts(
                field + ".options", dns.getOptionsList(), RequestLimits.MAX_DNS_OPTIONS, RequestLimits.MAX_TOKEN_BYTES);
    }

    private static void port(String field, PortMapping port) throws InvalidRequestException {
        if (port.getProtocol() == Protocol.UNRECOGNIZED) {
            throw new InvalidRequestException(
                    field + ".protocol", port.getProtocolValue() + " is not TCP, UDP or SCTP");
        }
        Check.range(field + ".container_port", port.getContainerPort(), 1, 65_535);
        Check.range(field + ".host_port", port.getHostPort(), 0, 65_535);
        if (!port.getHostIp().isEmpty()) {
            Names.ip(field + ".host_ip", port.getHostIp());
        }
    }

    private static void linux(String field, LinuxPodSandboxConfig linux) throws InvalidRequestException {
        cgroupParent(field + ".cgroup_parent", linux.getCgroupParent());
        Check.count(field + ".sysctls", linux.getSysctlsCount(), RequestLimits.MAX_SYSCTLS);
        for (Map.Entry<String, String> sysctl : linux.getSysctlsMap().entrySet()) {
            Names.sysctl(field + ".sysctls key", sysctl.getKey());
            Check.text(
                    field + ".sysctls[" + Shown.of(sysctl.getKey()) + "]",
                    sysctl.getValue(),
                    RequestLimits.MAX_KERNEL_VALUE_BYTES);
        }
        ResourceChecks.check(field + ".resources", linux.getResources());
        ResourceChecks.checkOverhead(field + ".overhead", linux.getOverhead());
        security(field + ".security_context", linux.getSecurityContext());
    }

    /** Empty (berthd's own parent), or an absolute cgroup path that cannot climb out of its hierarchy. */
    static void cgroupParent(String field, String parent) throws InvalidRequestException {
        Check.text(field, parent, RequestLimits.MAX_CGROUP_PARENT_BYTES);
        if (parent.isEmpty()) {
            return;
        }
        if (!parent.startsWith("/")) {
            throw new InvalidRequestException(
                    field, Shown.of(parent) + " must be absolute (berthd is a cgroupfs driver runtime)");
        }
        for (String segment : parent.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidRequestException(field, Shown.of(parent) + " must not contain '.' or '..'");
            }
            if (Check.utf8Bytes(segment) > RequestLimits.MAX_CGROUP_SEGMENT_BYTES) {
                throw new InvalidRequestException(
                        field,
                        "has a segment of more than " + RequestLimits.MAX_CGROUP_SEGMENT_BYTES + " bytes: "
                                + Shown.of(segment));
            }
        }
    }

    private static void security(String field, LinuxSandboxSecurityContext sc) throws InvalidRequestException {
        SecurityChecks.namespaces(field + ".namespace_options", sc.getNamespaceOptions());
        if (sc.hasRunAsUser()) {
            SecurityChecks.numericId(field + ".run_as_user", sc.getRunAsUser().getValue());
        }
        if (sc.hasRunAsGroup()) {
            SecurityChecks.numericId(field + ".run_as_group", sc.getRunAsGroup().getValue());
        }
        SecurityChecks.groups(field + ".supplemental_groups", sc.getSupplementalGroupsList());
        SecurityChecks.selinux(field + ".selinux_options", sc.getSelinuxOptions());
        SecurityChecks.profile(field + ".seccomp", sc.getSeccomp());
        SecurityChecks.profile(field + ".apparmor", sc.getApparmor());
    }
}
