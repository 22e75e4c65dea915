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
    void aCgroupThatRefusesAnUpdatedValueIsTheRequestsFault() {
        String prefix = "runc update abc failed (exit 1): failed to write \"65535\": write /sys/fs/cgroup/";
        assertThat(RuntimeMessages.kindOfUpdate(prefix + "cpu/pod/abc/cpu.cfs_quota_us: invalid argument"))
                .isEqualTo(OciRuntimeException.Kind.RESOURCES_REFUSED);
        assertThat(RuntimeMessages.kindOfUpdate(
                        prefix + "memory/pod/abc/memory.limit_in_bytes: device or resource busy"))
                .isEqualTo(OciRuntimeException.Kind.RESOURCES_REFUSED);
        assertThat(RuntimeMessages.kindOfUpdate(prefix + "cpu/pod/abc/cpu.shares: no such file or directory"))
                .isEqualTo(OciRuntimeException.Kind.RUNTIME);
        assertThat(RuntimeMessages.kindOfUpdate("runc update abc failed (exit 1): container does not exist"))
                .isEqualTo(OciRuntimeException.Kind.RUNTIME);
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
