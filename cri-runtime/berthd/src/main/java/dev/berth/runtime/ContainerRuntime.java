package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An OCI runtime with runc's command line, as the container feature uses it; {@link OciRuntime} runs the
 * binary, tests use fakes. Failures the runtime reports are {@link OciRuntimeException}s with its message.
 */
public interface ContainerRuntime {

    /** The runtime's binary, which conmon and exec run. */
    Path binary();

    /** The runtime's {@code --root} state directory. */
    Path root();

    OciFeatures features();

    /** Empty when the runtime does not know the container. */
    Optional<RuntimeState> state(String id) throws IOException;

    void start(String id) throws IOException;

    /** @param all signal every process of the container, not only its init */
    void kill(String id, int signal, boolean all) throws IOException;

    void delete(String id, boolean force) throws IOException;

    /** @param resourcesJson the OCI {@code linux.resources} object */
    void update(String id, byte[] resourcesJson) throws IOException;

    List<RuntimeState> list() throws IOException;

    ExecResult exec(String id, List<String> argv, Duration timeout, int outputLimit) throws IOException;
}
