package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.PortSpec;
import dev.berth.cli.cri.Cri;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class PortCommand implements Callable<Integer> {

    private final Berth berth;
    private String ref;
    private String privatePort;

    public PortCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "port", "List a container's published ports")
                .positional("0", "CONTAINER", "", v -> ref = v)
                .optionalPositional("1", "PRIVATE_PORT[/PROTO]", "", v -> privatePort = v)
                .spec();
    }

    @Override
    public Integer call() {
        try (Cri cri = berth.connect()) {
            List<PortSpec> ports = new Containers(cri).find(ref).ports();
            if (privatePort != null) {
                PortSpec wanted = PortSpec.parse(privatePort);
                ports = ports.stream()
                        .filter(p -> p.containerPort() == wanted.containerPort()
                                && p.protocol().equals(wanted.protocol()))
                        .toList();
                if (ports.isEmpty()) {
                    throw new CliException("no public port " + privatePort + " published for " + ref);
                }
                ports.forEach(p -> System.out.println(hostSide(p)));
                return 0;
            }
            ports.forEach(p -> System.out.println(p.containerPort() + "/" + p.protocol() + " -> " + hostSide(p)));
            return 0;
        }
    }

    private static String hostSide(PortSpec port) {
        return (port.hostIp().isEmpty() ? "0.0.0.0" : port.hostIp()) + ":" + port.hostPort();
    }
}
