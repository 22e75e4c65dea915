package dev.berth.cli.build;

import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.BuildGrpc;
import dev.berth.api.v1.BuildInput;
import dev.berth.api.v1.BuildOptions;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One berth.v1 Build call: the options, then the context written by a {@link Context} on a thread of its own,
 * sent in chunks only as fast as the call is ready for them (gRPC's onReady), while the caller takes the
 * events as they come. {@link #cancel} ends the call from any thread: berthd stops the build and removes what
 * it made.
 */
public final class BuildCall {

    /** ~1 MiB: large enough for few messages, far below the 16 MiB message limit. */
    static final int CHUNK_BYTES = 1 << 20;

    /** Writes the context tar; the stream is the call's. */
    public interface Context {
        void writeTo(OutputStream out) throws IOException;
    }

    private sealed interface Signal {}

    private record Event(BuildEvent event) implements Signal {}

    private record Failed(Throwable failure) implements Signal {}

    private record Done() implements Signal {}

    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    private ClientCallStreamObserver<BuildInput> requests;
    private boolean ended;
    private volatile IOException uploadFailure;
    private volatile long chunksSent;

    private BuildCall() {}

    public static BuildCall start(BuildGrpc.BuildStub stub, BuildOptions options, Context context, int chunkBytes) {
        BuildCall call = new BuildCall();
        stub.build(call.new Responses());
        // a platform thread: a virtual one writing to the socket starts the JDK's I/O poller, a thread that waits in
        // epoll_wait for ever, and the JVM's exit waits ~300 ms for a thread in native code before it gives up
        Thread.ofPlatform()
                .daemon()
                .name("build-context-upload")
                .start(() -> call.upload(options, context, chunkBytes));
        return call;
    }

    public static BuildCall start(BuildGrpc.BuildStub stub, BuildOptions options, Context context) {
        return start(stub, options, context, CHUNK_BYTES);
    }

    /**
     * The next event, null once berthd ended the call without failure. A failed call throws its status; a
     * context that could not be read throws that instead of the cancellation it caused.
     */
    public BuildEvent next() throws InterruptedException, IOException {
        Signal signal = signals.take();
        return switch (signal) {
            case Event event -> event.event();
            case Done done -> {
                signals.add(done);
                yield null;
            }
            case Failed failed -> {
                signals.add(failed);
                if (uploadFailure != null) {
                    throw uploadFailure;
                }
                if (failed.failure() instanceof StatusRuntimeException status) {
                    throw status;
                }
                throw new IOException("the build call failed: " + failed.failure(), failed.failure());
            }
        };
    }

    /** Ends the call (Ctrl-C): a no-op once it has ended. */
    public void cancel(String why, Throwable cause) {
        synchronized (lock) {
            if (!ended) {
                requests.cancel(why, cause);
            }
        }
    }

    /** Context chunks handed to gRPC so far. */
    long chunksSent() {
        return chunksSent;
    }

    private void upload(BuildOptions options, Context context, int chunkBytes) {
        try {
            send(BuildInput.newBuilder().setOptions(options).build());
            try (ChunkedUpload chunks = new ChunkedUpload(
                    chunk -> {
                        send(BuildInput.newBuilder().setContext(chunk).build());
                        chunksSent++;
                    },
                    chunkBytes)) {
                context.writeTo(chunks);
            }
            synchronized (lock) {
                if (!ended) {
                    requests.onCompleted();
                }
            }
        } catch (CallEnded e) {
            // berthd answered before the whole context was in (a Dockerfile error): its status says why
        } catch (IOException e) {
            uploadFailure = e;
            cancel("the build context could not be read", e);
        } catch (RuntimeException e) {
            uploadFailure = new IOException(e.toString(), e);
            cancel("the build context could not be sent", e);
        }
    }

    private void send(BuildInput input) throws IOException {
        synchronized (lock) {
            try {
                while (!ended && !requests.isReady()) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while sending the build context");
            }
            if (ended) {
                throw new CallEnded();
            }
            requests.onNext(input);
        }
    }

    private void end(Signal signal) {
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
        signals.add(signal);
    }

    /** The call ended while the context was still being sent. */
    private static final class CallEnded extends IOException {
        CallEnded() {
            super("the build call ended", null);
        }
    }

    private final class Responses implements ClientResponseObserver<BuildInput, BuildEvent> {

        @Override
        public void beforeStart(ClientCallStreamObserver<BuildInput> stream) {
            requests = stream;
            stream.setOnReadyHandler(() -> {
                synchronized (lock) {
                    lock.notifyAll();
                }
            });
        }

        @Override
        public void onNext(BuildEvent event) {
            signals.add(new Event(event));
        }

        @Override
        public void onError(Throwable failure) {
            end(new Failed(failure));
        }

        @Override
        public void onCompleted() {
            end(new Done());
        }
    }
}
