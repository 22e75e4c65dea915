package dev.berth.cri;

import io.grpc.stub.StreamObserver;

/** Runs one unary call: the answer or the mapped failure goes to the observer, never both, never neither. */
final class Rpc {

    private Rpc() {
    }

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
}
