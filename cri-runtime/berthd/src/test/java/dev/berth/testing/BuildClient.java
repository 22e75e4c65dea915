package dev.berth.testing;

import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.BuildGrpc;
import dev.berth.api.v1.BuildInput;
import dev.berth.api.v1.BuildOptions;
import dev.berth.api.v1.BuildResult;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A berth.v1 Build client on a daemon's socket: options and a context tar in, every event and the outcome out. */
public final class BuildClient {

    private static final int CHUNK = 64 * 1024;

    private final Channel channel;

    public BuildClient(Channel channel) {
        this.channel = channel;
    }

    /** What a build sent back: its events in order, then its result or the status it failed with. */
    public record Outcome(List<BuildEvent> events, BuildResult result, Status error) {

        public String output() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            events.stream()
                    .filter(BuildEvent::hasOutput)
                    .forEach(e -> out.writeBytes(e.getOutput().getData().toByteArray()));
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The instructions of the steps that finished from the cache. */
        public List<String> cachedSteps() {
            return finishedSteps(true);
        }

        /** The instructions of the steps that made a layer by running. */
        public List<String> builtSteps() {
            return finishedSteps(false).stream()
                    .filter(s -> s.startsWith("RUN") || s.startsWith("COPY") || s.startsWith("ADD"))
                    .toList();
        }

        private List<String> finishedSteps(boolean cached) {
            List<String> steps = new ArrayList<>();
            for (BuildEvent event : events) {
                if (event.hasFinished() && event.getFinished().getCached() == cached) {
                    int index = event.getFinished().getIndex();
                    events.stream()
                            .filter(e -> e.hasStarted() && e.getStarted().getIndex() == index)
                            .findFirst()
                            .ifPresent(e -> steps.add(e.getStarted().getInstruction()));
                }
            }
            return steps;
        }
    }

    public Outcome build(BuildOptions options, byte[] context) throws Exception {
        return build(options, context, event -> false);
    }

    /** Cancels the call as soon as an event matches {@code cancelWhen}. */
    public Outcome build(BuildOptions options, byte[] context, Predicate<BuildEvent> cancelWhen) throws Exception {
        List<BuildEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        Context.CancellableContext call = Context.current().withCancellation();
        call.run(() -> {
            StreamObserver<BuildInput> input = BuildGrpc.newStub(channel)
                    .withDeadlineAfter(300, TimeUnit.SECONDS)
                    .build(new StreamObserver<>() {
                        private BuildResult result;

                        @Override
                        public void onNext(BuildEvent event) {
                            events.add(event);
                            if (event.hasResult()) {
                                result = event.getResult();
                            }
                            if (cancelWhen.test(event)) {
                                call.cancel(null);
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.complete(new Outcome(List.copyOf(events), null, Status.fromThrowable(t)));
                        }

                        @Override
                        public void onCompleted() {
                            done.complete(new Outcome(List.copyOf(events), result, null));
                        }
                    });
            input.onNext(BuildInput.newBuilder().setOptions(options).build());
            for (int offset = 0; offset < context.length; offset += CHUNK) {
                input.onNext(BuildInput.newBuilder()
                        .setContext(com.google.protobuf.ByteString.copyFrom(
                                context, offset, Math.min(CHUNK, context.length - offset)))
                        .build());
            }
            input.onCompleted();
        });
        return done.get(300, TimeUnit.SECONDS);
    }
}
