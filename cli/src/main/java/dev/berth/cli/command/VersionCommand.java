package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.cri.Cri;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import dev.berth.version.BerthVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

public final class VersionCommand implements Callable<Integer> {

    private final Berth berth;

    public VersionCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "version", "Show the client's and the runtime's versions")
                .spec();
    }

    /** The version the build stamped into the jar (cri-api's {@code dev/berth/version.properties}). */
    static String clientVersion() {
        return BerthVersion.current();
    }

    @Override
    public Integer call() {
        System.out.println("Client:");
        System.out.println(" Version:       " + clientVersion());
        System.out.println(" API:           CRI runtime.v1");
        System.out.println(" Java:          " + Runtime.version());
        System.out.println(" OS/Arch:       " + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/"
                + System.getProperty("os.arch"));
        System.out.println();
        try (Cri cri = berth.connect()) {
            VersionResponse version =
                    cri.call("version", () -> cri.runtime().version(VersionRequest.getDefaultInstance()));
            System.out.println("Server: " + version.getRuntimeName());
            System.out.println(" Version:       " + version.getRuntimeVersion());
            System.out.println(" API:           CRI " + version.getRuntimeApiVersion());
            System.out.println(" Endpoint:      " + cri.endpoint().uri());
        } catch (CliException e) {
            System.out.flush();
            throw e;
        }
        return 0;
    }

    /** {@code berth --version}: the client alone, as docker's. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"berth version " + clientVersion()};
        }
    }
}
