package dev.berth.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The error channel's message at the end of a remote command, as kubelet's remotecommand server writes
 * it: from protocol v4 on a {@code metav1.Status} JSON (a non-zero exit is reason {@code NonZeroExitCode}
 * with a cause {@code ExitCode} whose message is the code); before v4 a plain error text, nothing on success.
 */
public final class RemoteCommandStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RemoteCommandStatus() {}

    public static byte[] exit(int exitCode, boolean statusJson) {
        if (!statusJson) {
            return exitCode == 0
                    ? new byte[0]
                    : ("command terminated with non-zero exit code: error executing command, exit status " + exitCode)
                            .getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode status = base();
        if (exitCode == 0) {
            status.put("status", "Success");
        } else {
            status.put("status", "Failure");
            status.put(
                    "message",
                    "command terminated with non-zero exit code: error executing command [exit status " + exitCode
                            + "]");
            status.put("reason", "NonZeroExitCode");
            ObjectNode cause = status.putObject("details").putArray("causes").addObject();
            cause.put("reason", "ExitCode");
            cause.put("message", Integer.toString(exitCode));
        }
        return bytes(status);
    }

    /** A command that could not run, or a stream that broke: reason InternalError, as kubelet reports it. */
    public static byte[] failure(String message, boolean statusJson) {
        if (!statusJson) {
            return message.getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode status = base();
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", "InternalError");
        status.putObject("details").putArray("causes").addObject().put("message", message);
        status.put("code", 500);
        return bytes(status);
    }

    private static ObjectNode base() {
        ObjectNode status = JSON.createObjectNode();
        status.putObject("metadata");
        return status;
    }

    private static byte[] bytes(ObjectNode status) {
        try {
            return JSON.writeValueAsBytes(status);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
