package dev.berth.cri.validation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** The named things of a pod whose syntax the kernel or a resolver fixes: host names, IP addresses, sysctls. */
final class Names {

    /**
     * An RFC 1123 label, also with '_' and capitals: crictl's own example pod is "crictl_host", and containerd and
     * CRI-O take it; what the kernel and resolv.conf cannot carry (dots at the ends, empty labels, spaces,
     * control characters) is refused.
     */
    private static final Pattern HOSTNAME_LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?");
    /**
     * Kubernetes' sysctl name: segments of letters, digits, '-' and '_' joined by '.', or by '/' in its slash form
     * ("net/ipv4/ip_forward", or "net.ipv4.conf.eth0/100.rp_filter" for an interface with a dot). So no segment is
     * empty, ".." or absolute: the name can only ever mean a file under /proc/sys.
     */
    private static final Pattern SYSCTL = Pattern.compile("[A-Za-z0-9_-]+([./][A-Za-z0-9_-]+)*");

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private Names() {}

    static void hostname(String field, String value) throws InvalidRequestException {
        if (value.isEmpty()) {
            return;
        }
        Check.text(field, value, RequestLimits.MAX_HOSTNAME_BYTES);
        for (String label : value.split("\\.", -1)) {
            if (label.length() > RequestLimits.MAX_HOSTNAME_LABEL_BYTES
                    || !HOSTNAME_LABEL.matcher(label).matches()) {
                throw new InvalidRequestException(
                        field,
                        Shown.of(value)
                                + " is not a host name (RFC 1123 labels of letters, digits, '-' and '_', at most 63 each)");
            }
        }
    }

    /** An IPv4 or IPv6 literal; only literals ever reach InetAddress, which then looks nothing up. */
    static void ip(String field, String value) throws InvalidRequestException {
        if (IPV4.matcher(value).matches()) {
            return;
        }
        if (value.length() <= 45 && IPV6.matcher(value).matches()) {
            try {
                InetAddress.getByName(value);
                return;
            } catch (UnknownHostException e) {
                // not an address: refused below
            }
        }
        throw new InvalidRequestException(field, Shown.of(value) + " is not an IP address");
    }

    static void sysctl(String field, String name) throws InvalidRequestException {
        Check.text(field, name, RequestLimits.MAX_SYSCTL_NAME_BYTES);
        if (!SYSCTL.matcher(name).matches()) {
            throw new InvalidRequestException(
                    field, Shown.of(name) + " is not a sysctl name such as net.ipv4.ip_unprivileged_port_start");
        }
    }
}
