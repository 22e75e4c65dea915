package dev.berth.cri;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.cri.validation.InvalidRequestException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A service whose requests that do not parse are the client's mistake: protobuf-java refuses bytes that are no
 * message of the method's type (a proto3 string that is not UTF-8, a truncated field), and grpc-java would close
 * such a call UNKNOWN before any of berthd's code runs. Here the failed parse becomes a value the call's listener
 * answers INVALID_ARGUMENT through {@link GrpcErrors}, naming the type and protobuf's reason.
 */
final class StrictRequests {

    private StrictRequests() {}

    static ServerServiceDefinition of(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor =
                ServiceDescriptor.newBuilder(original.getName()).setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> strict = strict(method);
            descriptor.addMethod(strict.getMethodDescriptor());
            methods.add(strict);
        }
        ServerServiceDefinition.Builder strict = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(strict::addMethod);
        return strict.build();
    }

    private static <Q, R> ServerMethodDefinition<Object, R> strict(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        return ServerMethodDefinition.create(
                descriptor.toBuilder(
                                new Parsing<>(descriptor.getRequestMarshaller(), descriptor),
                                descriptor.getResponseMarshaller())
                        .build(),
                new Refusing<>(descriptor.getFullMethodName(), method.getServerCallHandler()));
    }

    private static String typeName(MethodDescriptor<?, ?> descriptor) {
        if (descriptor.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> proto
                && proto.getMessagePrototype() instanceof com.google.protobuf.Message message) {
            return message.getDescriptorForType().getName();
        }
        return descriptor.getBareMethodName() + " request";
    }

    /** A request that did not parse, in place of the message. */
    private record Unparsed(InvalidRequestException failure) {}

    /**
     * The method's own marshaller, its parse failure returned as {@link Unparsed} rather than thrown. The type is
     * named only then: its descriptor costs a start ~15 ms over all the methods.
     */
    private record Parsing<Q>(MethodDescriptor.Marshaller<Q> inner, MethodDescriptor<?, ?> method)
            implements MethodDescriptor.Marshaller<Object> {

        @Override
        @SuppressWarnings("unchecked")
        public InputStream stream(Object value) {
            return inner.stream((Q) value);
        }

        @Override
        public Object parse(InputStream stream) {
            try {
                return inner.parse(stream);
            } catch (StatusRuntimeException e) {
                if (!(e.getCause() instanceof InvalidProtocolBufferException invalid)) {
                    throw e;
                }
                return new Unparsed(new InvalidRequestException(
                        "request", "is not a valid " + typeName(method) + ": " + invalid.getMessage()));
            }
        }
    }

    /**
     * The method's handler, whose listener closes the call on an {@link Unparsed} request and then hears no more
     * of it (a unary handler would otherwise close it again, half-closed without a request).
     */
    private record Refusing<Q, R>(String method, ServerCallHandler<Q, R> handler)
            implements ServerCallHandler<Object, R> {

        @Override
        @SuppressWarnings("unchecked")
        public ServerCall.Listener<Object> startCall(ServerCall<Object, R> call, Metadata headers) {
            ServerCall.Listener<Q> delegate = handler.startCall((ServerCall<Q, R>) (ServerCall<?, R>) call, headers);
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                    (ServerCall.Listener<Object>) (ServerCall.Listener<?>) delegate) {
                private boolean refused;

                @Override
                public void onMessage(Object message) {
                    if (refused) {
                        return;
                    }
                    if (message instanceof Unparsed unparsed) {
                        refused = true;
                        call.close(
                                GrpcErrors.toStatus(method, unparsed.failure()).getStatus(), new Metadata());
                        return;
                    }
                    super.onMessage(message);
                }

                @Override
                public void onHalfClose() {
                    if (!refused) {
                        super.onHalfClose();
                    }
                }

                @Override
                public void onReady() {
                    if (!refused) {
                        super.onReady();
                    }
                }
            };
        }
    }
}
