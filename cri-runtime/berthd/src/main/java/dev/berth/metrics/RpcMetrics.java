package dev.berth.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every call on the gRPC server by service, method and status code when it ends, and times unary calls.
 * Streaming calls (GetContainerEvents) last as long as their client stays, so their time would say nothing about
 * latency; they are counted only. A call ends either by its close or by its cancellation, and counts once.
 */
public final class RpcMetrics implements ServerInterceptor {

    private final Counter requests;
    private final Histogram durations;

    RpcMetrics(Counter requests, Histogram durations) {
        this.requests = requests;
        this.durations = durations;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Ending ending = new Ending(call.getMethodDescriptor(), System.nanoTime());
        ServerCall<Q, A> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                ending.record(status.getCode());
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onCancel() {
                ending.record(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    /** One call's end, recorded by whichever of close and cancel comes first. */
    private final class Ending extends AtomicBoolean {

        private final MethodDescriptor<?, ?> method;
        private final long started;

        Ending(MethodDescriptor<?, ?> method, long started) {
            this.method = method;
            this.started = started;
        }

        void record(Status.Code code) {
            if (!compareAndSet(false, true)) {
                return;
            }
            String service = method.getServiceName();
            String name = method.getBareMethodName();
            requests.labelValues(service, name, code.name()).inc();
            if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                durations.labelValues(service, name).observe((System.nanoTime() - started) / 1e9);
            }
        }
    }
}
