package dev.berth.cri;

import dev.berth.build.BuildException;
import dev.berth.cri.validation.InvalidRequestException;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.imagestore.PullException;
import dev.berth.imagestore.PushException;
import dev.berth.oci.InvalidContainerConfigException;
import dev.berth.runtime.OciRuntimeException;
import dev.berth.store.ConflictException;
import dev.berth.store.NotFoundException;
import dev.berth.streaming.TooManyStreamRequestsException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a feature's failure becomes a gRPC status. A client's mistake (a field it got wrong, a
 * pod or container that is not there, one in the wrong state, a program its container cannot run) is
 * INVALID_ARGUMENT, NOT_FOUND or FAILED_PRECONDITION and one log line without a stack trace; anything else is
 * berthd's own failure: INTERNAL, logged with its stack trace.
 */
final class GrpcErrors {

    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {}

    private static Status buildStatus(BuildException.Kind kind) {
        return switch (kind) {
            case INVALID -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case RUN_FAILED -> Status.FAILED_PRECONDITION;
            case CANCELLED -> Status.CANCELLED;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    private static Status pullStatus(PullException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case UNSUPPORTED, INVALID_IMAGE -> Status.FAILED_PRECONDITION;
            case DIGEST_MISMATCH -> Status.DATA_LOSS;
            case RATE_LIMITED -> Status.RESOURCE_EXHAUSTED;
            case CANCELLED -> Status.CANCELLED;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    private static Status pushStatus(PushException.Kind kind) {
        return switch (kind) {
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case REFUSED, INCOMPLETE_IMAGE -> Status.FAILED_PRECONDITION;
            case RATE_LIMITED -> Status.RESOURCE_EXHAUSTED;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    /**
     * Descriptions echo what the caller sent (an ID, a path): cut long ones, as gRPC clients refuse trailers over
     * 8 KiB (grpc-java's default) and the call then fails with a transport error instead of its code. 512
     * characters stay under that even when each one is percent-encoded from three or four UTF-8 bytes.
     */
    static final int MAX_DESCRIPTION = 512;

    private static String bounded(String description) {
        if (description == null || description.length() <= MAX_DESCRIPTION) {
            return description;
        }
        int end = MAX_DESCRIPTION;
        if (Character.isHighSurrogate(description.charAt(end - 1))) {
            end--;
        }
        return description.substring(0, end) + "… (" + description.length() + " characters)";
    }

    static StatusRuntimeException toStatus(String call, Throwable failure) {
        Status status = switch (failure) {
            case StatusRuntimeException e -> e.getStatus();
            case InvalidRequestException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            case InvalidReferenceException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            case IllegalArgumentException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            case PullException e -> pullStatus(e.kind()).withDescription(e.getMessage());
            case BuildException e -> buildStatus(e.kind()).withDescription(e.getMessage());
            case PushException e -> pushStatus(e.kind()).withDescription(e.getMessage());
            case NotFoundException e -> Status.NOT_FOUND.withDescription(e.getMessage());
            case ConflictException e ->
                (e.kind() == ConflictException.Kind.ALREADY_EXISTS ? Status.ALREADY_EXISTS : Status.FAILED_PRECONDITION)
                        .withDescription(e.getMessage());
            case InvalidContainerConfigException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            case TooManyStreamRequestsException e -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
            case OciRuntimeException e
            when e.kind() == OciRuntimeException.Kind.CANNOT_EXECUTE ->
                Status.FAILED_PRECONDITION.withDescription(e.getMessage());
            case OciRuntimeException e
            when e.kind() == OciRuntimeException.Kind.RESOURCES_REFUSED ->
                Status.FAILED_PRECONDITION.withDescription(e.getMessage());
            default -> Status.INTERNAL.withDescription(call + ": " + failure);
        };
        status = status.withDescription(bounded(status.getDescription()));
        if (status.getCode() == Status.Code.INTERNAL) {
            log.error("{} failed", call, failure);
        } else {
            log.info("{} failed: {}: {}", call, status.getCode(), status.getDescription());
        }
        return status.asRuntimeException();
    }
}
