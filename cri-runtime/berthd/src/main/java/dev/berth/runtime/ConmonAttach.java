package dev.berth.runtime;

import dev.berth.sys.NativeFd;
import dev.berth.sys.UnixSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches a client to a container's stdio through conmon (2.x), as CRI-O does. conmon serves a
 * SOCK_SEQPACKET socket ({@code attach} in the bundle): each message it sends is one read of the container's
 * output behind a byte naming the pipe ({@link #STDOUT_PIPE}, {@link #STDERR_PIPE}); what the client sends is
 * the container's stdin (kept only if conmon was started with {@code -i}), and half-closing the socket is
 * stdin's end. Terminal sizes go to the {@code ctl} fifo as {@code "1 <height> <width>\n"}.
 */
public final class ConmonAttach {

    private static final Logger log = LoggerFactory.getLogger(ConmonAttach.class);
    /** conmon's stdpipe_t: NO_PIPE, STDIN_PIPE, STDOUT_PIPE, STDERR_PIPE. */
    static final int STDOUT_PIPE = 2;

    static final int STDERR_PIPE = 3;
    /** conmon reads up to STDIO_BUF_SIZE (8192) at a time and prefixes the pipe byte. */
    private static final int MESSAGE_BYTES = 8192 + 1;
    /** conmon takes one message of up to CONN_SOCK_BUF_SIZE - 1 bytes; stay well under it. */
    private static final int STDIN_CHUNK = 8192;

    private static final int WIN_RESIZE_EVENT = 1;
    private static final Duration JOIN_WAIT = Duration.ofSeconds(2);

    private final UnixSockets sockets;

    public ConmonAttach(UnixSockets sockets) {
        this.sockets = sockets;
    }

    /**
     * Copies until conmon closes the socket (the container exited) or the client leaves (the container
     * keeps running), then returns.
     *
     * @param bundle the container's bundle, where conmon keeps {@code attach} and {@code ctl}
     */
    public void attach(String containerId, Path bundle, boolean tty, RemoteStreams streams)
            throws IOException, InterruptedException {
        NativeFd socket = sockets.connectSeqPacket(bundle.resolve("attach"));
        streams.clientGone().thenRun(socket::stop);
        List<Thread> helpers = new ArrayList<>();
        try {
            // a platform thread: it spends its life in poll(2), which would pin a virtual thread's carrier
            helpers.add(Thread.ofPlatform()
                    .daemon()
                    .name("berth-attach-out-" + containerId)
                    .start(() -> copyOutput(containerId, socket, tty, streams)));
            if (streams.stdin() != null) {
                helpers.add(Thread.ofVirtual()
                        .name("berth-attach-stdin-" + containerId)
                        .start(() -> copyStdin(containerId, streams.stdin(), socket)));
            }
            if (tty && streams.resizes() != null) {
                helpers.add(Thread.ofVirtual()
                        .name("berth-attach-resize-" + containerId)
                        .start(() -> resize(containerId, bundle.resolve("ctl"), streams)));
            }
            helpers.getFirst().join();
        } finally {
            socket.stop();
            helpers.forEach(Thread::interrupt);
            boolean stopped = true;
            for (Thread helper : helpers) {
                stopped &= helper.join(JOIN_WAIT);
            }
            if (stopped) {
                socket.close();
            } else {
                log.warn("container {}: attach threads did not stop; the socket is closed once they do", containerId);
                Thread.ofVirtual().start(() -> closeAfter(socket, helpers));
            }
        }
        log.info("container {}: attach ended", containerId);
    }

    private static void copyOutput(String id, NativeFd socket, boolean tty, RemoteStreams streams) {
        byte[] message = new byte[MESSAGE_BYTES];
        try {
            int n;
            while ((n = socket.read(message, NativeFd.POLL_MILLIS)) >= 0) {
                if (n < 2) {
                    continue;
                }
                OutputStream target = tty || message[0] == STDOUT_PIPE
                        ? streams.stdout()
                        : message[0] == STDERR_PIPE ? streams.stderr() : null;
                if (target == null) {
                    continue;
                }
                try {
                    target.write(message, 1, n - 1);
                } catch (IOException e) {
                    log.info("container {}: attach client cannot be written to ({}); detaching", id, e.getMessage());
                    return;
                }
            }
        } catch (IOException e) {
            log.debug("container {}: reading the attach socket: {}", id, e.toString());
        }
    }

    /** Client stdin to the container; its end half-closes the socket, so conmon sees stdin's end. */
    private static void copyStdin(String id, InputStream stdin, NativeFd socket) {
        byte[] buffer = new byte[STDIN_CHUNK];
        try {
            int n;
            while ((n = stdin.read(buffer)) >= 0) {
                socket.write(buffer, 0, n);
            }
            socket.shutdownOutput();
        } catch (InterruptedIOException e) {
            // the attach ended
        } catch (IOException e) {
            log.debug("container {}: attach stdin ended: {}", id, e.toString());
        }
    }

    private static void resize(String id, Path controlFifo, RemoteStreams streams) {
        try {
            Optional<TerminalSize> size;
            while ((size = streams.resizes().next()).isPresent()) {
                // conmon holds the fifo open for reading while it runs, so opening it never blocks
                try (OutputStream out = Files.newOutputStream(controlFifo, StandardOpenOption.WRITE)) {
                    out.write((WIN_RESIZE_EVENT + " " + size.get().height() + " "
                                    + size.get().width() + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
            }
        } catch (InterruptedException e) {
            // the attach ended
        } catch (IOException e) {
            log.debug("container {}: resizing the attached terminal: {}", id, e.toString());
        }
    }

    private static void closeAfter(NativeFd socket, List<Thread> helpers) {
        try {
            for (Thread helper : helpers) {
                helper.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            socket.close();
        }
    }
}
