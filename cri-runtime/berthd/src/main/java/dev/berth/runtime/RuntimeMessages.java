package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what runc writes about a failure into one readable line: the {@code msg} of its error entries,
 * whether it logged them as logrus text on stderr or as JSON lines ({@code --log-format json}).
 */
final class RuntimeMessages {

    /** runc's words when the container's process could not be exec'd: a missing or unusable program. */
    private static final Pattern CANNOT_EXECUTE = Pattern.compile("unable to start container process: exec: \"");

    /**
     * runc's words when a cgroup file refused a value: EINVAL (a CPU quota its parent's does not allow) or EBUSY (a
     * memory limit below the usage the kernel cannot reclaim).
     */
    private static final Pattern CGROUP_REFUSED = Pattern.compile(
            "failed to write \"[^\"]*\": write /sys/fs/cgroup/\\S+: (invalid argument|device or resource busy)");

    private static final Pattern TEXT_ENTRY = Pattern.compile("level=(error|fatal) msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private final ObjectMapper json = new ObjectMapper();

    String readable(String output) {
        List<String> messages = new ArrayList<>();
        for (String line : output.strip().split("\n")) {
            String message = errorMessage(line.strip());
            if (message != null) {
                messages.add(message);
            }
        }
        return messages.isEmpty() ? output.strip() : String.join("; ", messages);
    }

    /** Whether the runtime's (readable) message says the container's program could not be executed. */
    static OciRuntimeException.Kind kindOf(String message) {
        return CANNOT_EXECUTE.matcher(message).find()
                ? OciRuntimeException.Kind.CANNOT_EXECUTE
                : OciRuntimeException.Kind.RUNTIME;
    }

    /** The kind of a failed {@code runc update}: a cgroup's refusal of a value, or the runtime's own failure. */
    static OciRuntimeException.Kind kindOfUpdate(String message) {
        return CGROUP_REFUSED.matcher(message).find()
                ? OciRuntimeException.Kind.RESOURCES_REFUSED
                : OciRuntimeException.Kind.RUNTIME;
    }

    private String errorMessage(String line) {
        if (line.startsWith("{")) {
            try {
                JsonNode node = json.readTree(line);
                String level = node.path("level").asText();
                return level.equals("error") || level.equals("fatal")
                        ? node.path("msg").asText()
                        : null;
            } catch (IOException e) {
                return line;
            }
        }
        Matcher matcher = TEXT_ENTRY.matcher(line);
        if (matcher.find()) {
            return matcher.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return line.isEmpty() || line.contains("level=") ? null : line;
    }
}
