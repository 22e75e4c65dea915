package dev.berth.cri.fuzz;

import com.google.protobuf.Message;
import dev.berth.cri.ImageServiceRpc;
import dev.berth.cri.RuntimeServiceRpc;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every RPC of CRI's RuntimeService and ImageService by name, called generically through the services'
 * descriptors (so a new RPC is fuzzed once it has a base request); stream RPCs are read to their end.
 */
final class CriCalls {

    /** What berthd answered: the code, its description, how long it took, and the (first) response. */
    record Answer(Status.Code code, String description, long millis, Message response) {

        boolean ok() {
            return code == Status.Code.OK;
        }
    }

    private final Channel channel;
    private final Map<String, MethodDescriptor<Message, Message>> methods = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    CriCalls(Channel channel) {
        this.channel = channel;
        for (ServiceDescriptor service :
                List.of(RuntimeServiceGrpc.getServiceDescriptor(), ImageServiceGrpc.getServiceDescriptor())) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                methods.put(method.getBareMethodName(), (MethodDescriptor<Message, Message>) method);
            }
        }
    }

    static List<String> runtimeRpcs() {
        return RuntimeServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(MethodDescriptor::getBareMethodName)
                .toList();
    }

    static List<String> imageRpcs() {
        return ImageServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(MethodDescriptor::getBareMethodName)
                .toList();
    }

    /**
     * Whether berthd serves {@code rpc} at all: false when its service class leaves the generated default
     * (UNIMPLEMENTED) in place, the one case where UNIMPLEMENTED is the precise answer.
     */
    static boolean implemented(String rpc) {
        String name = Character.toLowerCase(rpc.charAt(0)) + rpc.substring(1);
        for (Class<?> service : List.of(RuntimeServiceRpc.class, ImageServiceRpc.class)) {
            for (java.lang.reflect.Method method : service.getMethods()) {
                if (method.getName().equals(name)
                        && method.getParameterCount() == 2
                        && method.getParameterTypes()[1] == StreamObserver.class) {
                    return !method.getDeclaringClass().isInterface();
                }
            }
        }
        throw new IllegalArgumentException("no such RPC: " + rpc);
    }

    Answer call(String rpc, Message request, long deadlineMillis) {
        MethodDescriptor<Message, Message> method = methods.get(rpc);
        if (method == null) {
            throw new IllegalArgumentException("no such RPC: " + rpc);
        }
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        Message first = null;
        try {
            if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                first = ClientCalls.blockingUnaryCall(channel, method, options, request);
            } else {
                Iterator<Message> answers = ClientCalls.blockingServerStreamingCall(channel, method, options, request);
                while (answers.hasNext()) {
                    Message next = answers.next();
                    first = first == null ? next : first;
                }
            }
            return new Answer(Status.Code.OK, "", millisSince(started), first);
        } catch (StatusRuntimeException e) {
            return new Answer(
                    e.getStatus().getCode(),
                    String.valueOf(e.getStatus().getDescription()),
                    millisSince(started),
                    first);
        }
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
