package dev.berth.cli.run;

import dev.berth.cli.CliException;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.PortSpec;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Host ports for a run. CNI's portmap installs DNAT rules without checking anything, so the CLI refuses a port
 * another of its containers publishes, or that a process on the host listens on, as docker does; a port given
 * without a host port gets a free one.
 */
public final class PortCheck {

    private PortCheck() {}

    public static List<PortSpec> allocate(List<PortSpec> wanted, List<CliContainer> others) {
        List<PortSpec> ports = new ArrayList<>();
        for (PortSpec port : wanted) {
            PortSpec chosen = port.hostPort() == 0 ? port.withHostPort(freePort(port)) : port;
            for (CliContainer other : others) {
                for (PortSpec taken : other.ports()) {
                    if (taken.clashesWith(chosen)) {
                        throw allocated(chosen, " by container " + other.name());
                    }
                }
            }
            for (PortSpec earlier : ports) {
                if (earlier.clashesWith(chosen)) {
                    throw allocated(chosen, " twice in this run");
                }
            }
            if (!bindable(chosen)) {
                throw allocated(chosen, " by a process on the host");
            }
            ports.add(chosen);
        }
        return ports;
    }

    private static CliException allocated(PortSpec port, String by) {
        return new CliException("Bind for " + (port.hostIp().isEmpty() ? "0.0.0.0" : port.hostIp()) + ":"
                + port.hostPort() + " failed: port is already allocated" + by);
    }

    private static boolean bindable(PortSpec port) {
        try {
            InetSocketAddress address = port.hostIp().isEmpty()
                    ? new InetSocketAddress(port.hostPort())
                    : new InetSocketAddress(InetAddress.getByName(port.hostIp()), port.hostPort());
            if (port.protocol().equals("udp")) {
                new DatagramSocket(address).close();
            } else {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.setReuseAddress(true);
                    socket.bind(address);
                }
            }
            return true;
        } catch (BindException e) {
            return !e.getMessage().contains("in use");
        } catch (IOException e) {
            return true;
        }
    }

    private static int freePort(PortSpec port) {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new CliException("no free host port for " + port.containerPort() + ": " + e.getMessage());
        }
    }
}
