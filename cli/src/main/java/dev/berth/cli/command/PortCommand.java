package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.PortSpec;
import dev.berth.cli.cri.Cri;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "port", description = "List a container's published ports")
public final class PortCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    private String ref;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PRIVATE_PORT[/PROTO]")
    private String privatePort;

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
