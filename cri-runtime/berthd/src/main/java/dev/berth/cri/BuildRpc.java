package dev.berth.cri;

import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.BuildGrpc;
import dev.berth.api.v1.BuildInput;
import dev.berth.api.v1.BuildOptions;
import dev.berth.api.v1.BuildResult;
import dev.berth.api.v1.PullProgress;
import dev.berth.api.v1.StepFailed;
import dev.berth.api.v1.StepFinished;
import dev.berth.api.v1.StepOutput;
import dev.berth.api.v1.StepStarted;
import dev.berth.build.BuildEvents;
import dev.berth.build.BuildRequest;
import dev.berth.build.BuildService;
import dev.berth.cri.v1.AuthConfig;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.imagestore.PullWatch;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * berth.v1 Build: the options, then the context tar as it streams in, to {@link BuildService} on a thread of its
 * own; its step events out as they happen. A client that goes away interrupts the build, which stops its RUN and
 * removes what it made.
 */
public final class BuildRpc extends BuildGrpc.BuildImplBase {

    private final BuildService builds;
    private final ImageProtos protos;

    public BuildRpc(BuildService builds, ImageProtos protos) {
        this.builds = builds;
        this.protos = protos;
    }

    @Override
    public StreamObserver<BuildInput> build(StreamObserver<BuildEvent> observer) {
        ServerCallStreamObserver<BuildEvent> call = (ServerCallStreamObserver<BuildEvent>) observer;
        Context context = Context.current();
        BuildContextStream contextTar = new BuildContextStream();
        AtomicReference<Thread> building = new AtomicReference<>();
        context.addListener(
                cancelled -> {
                    contextTar.fail();
                    Thread thread = building.get();
                    if (thread != null) {
                        thread.interrupt();
                    }
                },
                Runnable::run);
        return new StreamObserver<>() {
            @Override
            public void onNext(BuildInput input) {
                try {
                    if (building.get() == null) {
                        if (!input.hasOptions()) {
                            throw Status.INVALID_ARGUMENT
                                    .withDescription("the first BuildInput must carry the options")
                                    .asRuntimeException();
                        }
                        BuildRequest request = request(input.getOptions());
                        building.set(
                                Thread.ofVirtual().name("build").start(() -> run(request, contextTar, call, context)));
                    } else {
                        contextTar.offer(input.getContext());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    call.onError(GrpcErrors.toStatus("Build", e));
                }
            }

            @Override
            public void onError(Throwable t) {
                contextTar.fail();
            }

            @Override
            public void onCompleted() {
                try {
                    contextTar.end();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private void run(
            BuildRequest request, BuildContextStream contextTar, ServerCallStreamObserver<BuildEvent> call, Context c) {
        Sender sender = new Sender(call);
        Rpc.streaming("Build", sender, () -> {
            try (contextTar) {
                BuildService.BuildResult result = builds.build(
                        request, contextTar, sender, leave -> c.addListener(x -> leave.run(), Runnable::run));
                sender.onNext(BuildEvent.newBuilder()
                        .setResult(BuildResult.newBuilder()
                                .setImageId(result.imageId())
                                .setManifestDigest(result.manifestDigest())
                                .addAllTags(result.tags()))
                        .build());
            }
        });
    }

    private BuildRequest request(BuildOptions options) {
        Map<String, AuthConfig> auth = options.getRegistryAuthMap();
        Function<String, RegistryCredentials> credentials = host -> {
            AuthConfig config = auth.get(host);
            if (config == null && host.equals("docker.io")) {
                config = auth.getOrDefault("https://index.docker.io/v1/", auth.get("index.docker.io"));
            }
            return config == null ? RegistryCredentials.NONE : protos.credentials(config);
        };
        return new BuildRequest(
                options.getTagsList(),
                options.getDockerfilePath(),
                options.getDockerfile(),
                options.getBuildArgsMap(),
                options.getTarget(),
                options.getNoCache(),
                switch (options.getNetwork()) {
                    case NETWORK_NONE -> BuildRequest.NetworkMode.NONE;
                    case NETWORK_HOST -> BuildRequest.NetworkMode.HOST;
                    default -> BuildRequest.NetworkMode.DEFAULT;
                },
                options.getMemoryLimitBytes(),
                options.getCpuMillis(),
                options.getHasSourceDateEpoch() ? OptionalLong.of(options.getSourceDateEpoch()) : OptionalLong.empty(),
                credentials,
                options.getLabelsMap());
    }

    /** Step events onto the call, one sender at a time (RUN output comes from two reader threads). */
    private static final class Sender implements BuildEvents, StreamObserver<BuildEvent> {

        private final ServerCallStreamObserver<BuildEvent> call;
        private PullWatch watch;

        Sender(ServerCallStreamObserver<BuildEvent> call) {
            this.call = call;
        }

        @Override
        public synchronized void onNext(BuildEvent event) {
            if (!call.isCancelled()) {
                call.onNext(event);
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            if (!call.isCancelled()) {
                call.onError(t);
            }
        }

        @Override
        public synchronized void onCompleted() {
            call.onCompleted();
        }

        @Override
        public void started(Step step, int total) {
            onNext(BuildEvent.newBuilder()
                    .setStarted(StepStarted.newBuilder()
                            .setIndex(step.index())
                            .setTotal(total)
                            .setStage(step.stage())
                            .setInstruction(step.instruction())
                            .setFile(step.file())
                            .setLine(step.line()))
                    .build());
        }

        @Override
        public void output(int index, boolean stderr, byte[] data) {
            onNext(BuildEvent.newBuilder()
                    .setOutput(StepOutput.newBuilder()
                            .setIndex(index)
                            .setStream(stderr ? StepOutput.Stream.STDERR : StepOutput.Stream.STDOUT)
                            .setData(com.google.protobuf.ByteString.copyFrom(data)))
                    .build());
        }

        @Override
        public void finished(int index, boolean cached, long durationNanos, LayerResult layer) {
            StepFinished.Builder finished =
                    StepFinished.newBuilder().setIndex(index).setCached(cached).setDurationNanos(durationNanos);
            if (layer != null) {
                finished.setLayerDigest(layer.digest()).setLayerSize(layer.size());
            }
            onNext(BuildEvent.newBuilder().setFinished(finished).build());
        }

        @Override
        public void failed(int index, int exitCode, String message) {
            onNext(BuildEvent.newBuilder()
                    .setFailed(StepFailed.newBuilder()
                            .setIndex(index)
                            .setExitCode(exitCode)
                            .setMessage(message))
                    .build());
        }

        @Override
        public synchronized void pulling(PullWatch watch) {
            this.watch = watch;
        }

        @Override
        public void pulled() {
            PullWatch done;
            synchronized (this) {
                done = watch;
                watch = null;
            }
            if (done != null) {
                for (dev.berth.imagestore.LayerProgress.Snapshot layer : done.snapshot()) {
                    onNext(BuildEvent.newBuilder()
                            .setPull(PullProgress.newBuilder().setLayer(PullServiceRpc.layer(layer)))
                            .build());
                }
            }
        }
    }
}
