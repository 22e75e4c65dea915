package dev.berth.cri;

import dev.berth.cri.validation.InvalidRequestException;
import dev.berth.cri.validation.Requests;
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
        } catch (OutOfMemoryError | InternalError | UnknownError fatal) {
            // the JVM itself is failing: its handler and the process's supervisor must see it, not a client
            throw fatal;
        } catch (Throwable e) {
            // a StackOverflowError or an assertion is a bug of one call: INTERNAL for it, logged, not gRPC's UNKNOWN
            observer.onError(GrpcErrors.toStatus(name, e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    interface StreamingCall {
        void run() throws Exception;
    }

    /**
     * Runs one server-streaming call whose messages {@code call} sends itself: completed when it returns, the
     * mapped failure when it throws.
     */
    static <T> void streaming(String name, StreamObserver<T> observer, StreamingCall call) {
        try {
            call.run();
        } catch (OutOfMemoryError | InternalError | UnknownError fatal) {
            throw fatal;
        } catch (Throwable e) {
            observer.onError(GrpcErrors.toStatus(name, e));
            return;
        }
        observer.onCompleted();
    }

    /** An ID field the caller must set: INVALID_ARGUMENT when blank or past its bound, through {@link GrpcErrors}. */
    static String requireId(String field, String value) throws InvalidRequestException {
        return Requests.id(field, value);
    }
}
