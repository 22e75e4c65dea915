package dev.berth.cri;

import io.grpc.stub.StreamObserver;

/**
 * Runs one unary call: the answer or the mapped failure goes to the observer, never both, never neither; and the
 * check every call makes of the IDs it is given.
 */
final class Rpc {

    private Rpc() {}

    interface Call<T> {
        T run() throws Exception;
    }

    static <T> void unary(String name, StreamObserver<T> observer, Call<T> call) {
        T response;
        try {
            response = call.run();
        } catch (Exception | LinkageError e) {
            observer.onError(GrpcErrors.toStatus(name, e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /** An ID field the caller must set (INVALID_ARGUMENT when blank, through {@link GrpcErrors}). */
    static String requireId(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
