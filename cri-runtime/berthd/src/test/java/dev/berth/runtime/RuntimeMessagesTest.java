package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuntimeMessagesTest {

    private final RuntimeMessages messages = new RuntimeMessages();

    @Test
    void jsonLogKeepsOnlyErrorMessages() {
        String log = """
                {"level":"warning","msg":"something minor","time":"2024-05-01T10:00:00Z"}
                {"level":"error","msg":"runc create failed: invalid rootfs: stat /x: no such file or directory","time":"2024-05-01T10:00:00Z"}
                """;

        assertThat(messages.readable(log))
                .isEqualTo("runc create failed: invalid rootfs: stat /x: no such file or directory");
    }

    @Test
    void logrusTextOnStderrIsUnquoted() {
        String stderr =
                "time=\"2024-05-01T10:00:00Z\" level=error msg=\"exec: \\\"/nope\\\": stat /nope: no such file or directory\"\n";

        assertThat(messages.readable(stderr)).isEqualTo("exec: \"/nope\": stat /nope: no such file or directory");
    }

    @Test
    void plainTextIsKeptAsItIs() {
        assertThat(messages.readable("container not running\n")).isEqualTo("container not running");
    }

    @Test
    void aProgramThatCannotBeExecutedIsTheContainersFault() {
        assertThat(RuntimeMessages.kindOf("runc create failed: unable to start container process: exec: \"nosuch\": "
                        + "executable file not found in $PATH"))
                .isEqualTo(OciRuntimeException.Kind.CANNOT_EXECUTE);
        assertThat(RuntimeMessages.kindOf("runc create failed: unable to start container process: exec: \"/etc\": "
                        + "permission denied"))
                .isEqualTo(OciRuntimeException.Kind.CANNOT_EXECUTE);
        assertThat(RuntimeMessages.kindOf("runc create failed: unable to apply cgroup configuration: EBUSY"))
                .isEqualTo(OciRuntimeException.Kind.RUNTIME);
    }
}
