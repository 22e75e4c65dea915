package dev.berth.cli.cri;

import dev.berth.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A CRI endpoint, as kubelet and crictl name it: {@code unix:///run/berth/berth.sock} or a plain socket path. */
public record Endpoint(String uri, Path socket) {

    public static final String DEFAULT = "unix:///run/berth/berth.sock";
    public static final String ENVIRONMENT = "BERTH_ENDPOINT";

    /** The flag's value, else BERTH_ENDPOINT, else berthd's default socket. */
    public static Endpoint resolve(String flag) {
        String value = flag;
        if (value == null || value.isBlank()) {
            value = System.getenv(ENVIRONMENT);
        }
        if (value == null || value.isBlank()) {
            value = DEFAULT;
        }
        return parse(value.strip());
    }

    static Endpoint parse(String value) {
        if (value.startsWith("unix://")) {
            String path = value.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new CliException("endpoint " + value + ": a unix socket needs an absolute path (unix:///path)");
            }
            return new Endpoint(value, Path.of(path));
        }
        if (value.startsWith("/")) {
            return new Endpoint("unix://" + value, Path.of(value));
        }
        throw new CliException(
                "endpoint " + value + " is not supported: berth speaks CRI over a unix socket (unix:///path)");
    }

    /** Fails in plain words before any gRPC call when the socket is missing or not ours to use. */
    void checkReachable() {
        if (!Files.exists(socket)) {
            throw new CliException(notRunning());
        }
        if (!Files.isWritable(socket)) {
            throw new CliException("permission denied on the socket " + socket
                    + ": it belongs to root (berthd makes it 0660); run berth as root (sudo)");
        }
    }

    String notRunning() {
        return "cannot connect to the Berth daemon at " + uri + ". Is berthd running? Start it with `./berth daemon`"
                + " (as root, from the repository), or point --endpoint or " + ENVIRONMENT + " at another CRI socket";
    }
}
