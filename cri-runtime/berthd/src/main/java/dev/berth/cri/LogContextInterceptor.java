package dev.berth.cri;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.berth.logging.LogIds;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts the pod and container a CRI call names into the MDC ({@link LogIds}) while the call runs, so that every line
 * logged for it carries them as fields (log.format json) whatever its message says. The thread's MDC is put back as
 * it was after each step of the call.
 */
final class LogContextInterceptor implements ServerInterceptor {

    private static final Map<String, String> FIELDS =
            Map.of("pod_sandbox_id", LogIds.POD_ID, "container_id", LogIds.CONTAINER_ID);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new Scoped<>(next.startCall(call, headers));
    }

    private static final class Scoped<Q> extends SimpleForwardingServerCallListener<Q> {

        private volatile Map<String, String> ids = Map.of();

        Scoped(ServerCall.Listener<Q> delegate) {
            super(delegate);
        }

        @Override
        public void onMessage(Q message) {
            if (message instanceof Message proto) {
                Map<String, String> found = new HashMap<>();
                FIELDS.forEach((field, key) -> {
                    FieldDescriptor descriptor = proto.getDescriptorForType().findFieldByName(field);
                    if (descriptor != null
                            && descriptor.getJavaType() == FieldDescriptor.JavaType.STRING
                            && !descriptor.isRepeated()) {
                        String value = (String) proto.getField(descriptor);
                        if (!value.isEmpty()) {
                            found.put(key, value);
                        }
                    }
                });
                ids = Map.copyOf(found);
            }
            within(() -> super.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            within(super::onHalfClose);
        }

        @Override
        public void onCancel() {
            within(super::onCancel);
        }

        @Override
        public void onComplete() {
            within(super::onComplete);
        }

        @Override
        public void onReady() {
            within(super::onReady);
        }

        private void within(Runnable step) {
            Map<String, String> before = MDC.getCopyOfContextMap();
            try {
                ids.forEach(MDC::put);
                step.run();
            } finally {
                if (before == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(before);
                }
            }
        }
    }
}
