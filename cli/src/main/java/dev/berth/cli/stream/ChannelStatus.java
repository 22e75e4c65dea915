package dev.berth.cli.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliException;
import java.io.IOException;

/**
 * The error channel's {@code metav1.Status}: Success, or Failure with the exit code in {@code
 * details.causes[reason=ExitCode]}, or a failure to run the command at all.
 */
final class ChannelStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChannelStatus() {}

    /** The command's exit code; a command that could not run fails with docker's 126 or 127. */
    static int exitCode(String status) {
        JsonNode node;
        try {
            node = JSON.readTree(status);
        } catch (IOException e) {
            throw CliException.withCode(126, "the runtime said: " + status.strip());
        }
        if ("Success".equals(node.path("status").asText())) {
            return 0;
        }
        for (JsonNode cause : node.path("details").path("causes")) {
            if ("ExitCode".equals(cause.path("reason").asText())) {
                try {
                    return Integer.parseInt(cause.path("message").asText());
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        String message = node.path("message").asText(status.strip());
        if (message.contains("not found") || message.contains("no such file")) {
            throw CliException.withCode(127, message);
        }
        throw CliException.withCode(126, message);
    }
}
