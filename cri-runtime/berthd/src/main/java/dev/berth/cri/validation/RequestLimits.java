package dev.berth.cri.validation;

/**
 * The bounds a CRI request must keep, checked before any work is done (README.md, "Request limits", lists them).
 * Each is well past what kubelet sends for any pod Kubernetes admits, and where the kernel has a limit of its own
 * it is that limit, so a request refused here would have failed half-way through anyway. Sizes are UTF-8 bytes.
 */
public final class RequestLimits {

    /** Container, pod and image IDs, and ID prefixes in filters (berthd's own IDs are 64 hex digits). */
    public static final int MAX_ID_BYTES = 1024;
    /** Metadata names, namespaces and uids: a Kubernetes DNS subdomain at most (namespaces and uids are shorter). */
    public static final int MAX_NAME_BYTES = 253;
    /** The kernel's HOST_NAME_MAX: sethostname(2) refuses more. Each dot-separated label is at most 63. */
    public static final int MAX_HOSTNAME_BYTES = 64;

    public static final int MAX_HOSTNAME_LABEL_BYTES = 63;
    /** Any path (log_directory, log_path, mount and device paths, working_dir, profiles): the kernel's PATH_MAX. */
    public static final int MAX_PATH_BYTES = 4096;
    /** cgroup_parent as a whole, and each of its segments (NAME_MAX). */
    public static final int MAX_CGROUP_PARENT_BYTES = 1024;

    public static final int MAX_CGROUP_SEGMENT_BYTES = 255;
    /** An image reference (name, tag and digest; the registry's own name limit is 255) or image ID. */
    public static final int MAX_IMAGE_BYTES = 1024;
    /** Any other short string: a RuntimeClass handler, capability, user name, SELinux field, DNS entry, CDI name. */
    public static final int MAX_TOKEN_BYTES = 253;
    /** A credential in AuthConfig (registry and identity tokens are JWTs of a few KiB). */
    public static final int MAX_CREDENTIAL_BYTES = 64 * 1024;

    /** Labels and annotations of a pod, container or image, and label selectors of a filter: entries each. */
    public static final int MAX_LABELS = 1024;

    public static final int MAX_LABEL_KEY_BYTES = 1024;
    /** Kubernetes' bound on all of an object's annotations together (kubelet passes a pod's on). */
    public static final int MAX_LABEL_VALUE_BYTES = 256 * 1024;
    /** All keys and values of one label or annotation map together. */
    public static final int MAX_LABELS_TOTAL_BYTES = 1024 * 1024;

    /** command plus args, or an exec's cmd: entries. */
    public static final int MAX_ARGV = 10_000;
    /** env entries. */
    public static final int MAX_ENV = 10_000;
    /** One argument or one "KEY=value" env entry: the kernel's MAX_ARG_STRLEN (execve refuses more). */
    public static final int MAX_ARG_BYTES = 128 * 1024;
    /** argv and env together: the kernel's default ARG_MAX (a quarter of the 8 MiB default stack). */
    public static final int MAX_EXEC_TOTAL_BYTES = 2 * 1024 * 1024;
    /**
     * An exec's cmd together: half of ARG_MAX, as the process it starts also carries the container's env and runc
     * passes the cmd through its own argv on the way.
     */
    public static final int MAX_EXEC_CMD_BYTES = 1024 * 1024;

    public static final int MAX_MOUNTS = 1024;
    public static final int MAX_DEVICES = 1024;
    public static final int MAX_PORT_MAPPINGS = 1024;
    public static final int MAX_SYSCTLS = 256;
    /** A sysctl name: Kubernetes' bound. */
    public static final int MAX_SYSCTL_NAME_BYTES = 253;
    /** A sysctl or cgroup ("unified") value: one page, what a /proc/sys or cgroup file takes in one write. */
    public static final int MAX_KERNEL_VALUE_BYTES = 4096;

    public static final int MAX_UNIFIED = 256;
    public static final int MAX_HUGEPAGE_LIMITS = 64;
    /** DNS servers: glibc and musl use the first 3; more are kept but a few is all that is sane. */
    public static final int MAX_DNS_SERVERS = 16;
    /** DNS searches: Kubernetes' MaxDNSSearchPaths, with its MaxDNSSearchListChars over all of them. */
    public static final int MAX_DNS_SEARCHES = 32;

    public static final int MAX_DNS_SEARCH_TOTAL_BYTES = 2048;
    public static final int MAX_DNS_OPTIONS = 64;
    /** masked_paths and readonly_paths, each. */
    public static final int MAX_SECURITY_PATHS = 1024;
    /** Capabilities added, dropped or ambient, each (Linux has 41). */
    public static final int MAX_CAPABILITIES = 64;
    /** supplemental_groups: the kernel's NGROUPS_MAX. */
    public static final int MAX_SUPPLEMENTAL_GROUPS = 65_536;

    public static final int MAX_CDI_DEVICES = 1024;
    /** Ports of one PortForward request. */
    public static final int MAX_FORWARDED_PORTS = 1024;

    /** How much of a client's string a log line or status message shows; the rest is counted, not echoed. */
    public static final int SHOWN_CHARS = 64;

    private RequestLimits() {}
}
