package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecProcessSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"ociVersion": "1.0.2-dev", "process": {
              "terminal": true, "consoleSize": {"height": 24, "width": 80},
              "user": {"uid": 0, "gid": 0, "umask": 18, "additionalGids": [0, 10]},
              "args": ["sleep", "1000"], "env": ["PATH=/bin", "KEPT=1", "REPLACED=old"], "cwd": "/",
              "capabilities": {"bounding": ["CAP_CHOWN"]}, "noNewPrivileges": true, "oomScoreAdj": 5}}
            """;

    private final ExecProcessSpec spec = new ExecProcessSpec();

    private JsonNode build(boolean tty, ProcessOptions options) throws Exception {
        return JSON.readTree(spec.build(CONFIG.getBytes(StandardCharsets.UTF_8), List.of("id", "-u"), tty, options));
    }

    @Test
    void theOptionsReplaceOnlyWhatTheyNameInTheContainersProcess() throws Exception {
        JsonNode process = build(
                false,
                new ProcessOptions(
                        new ResolvedUser(65534, 65534, List.of(65534L)), "/tmp", List.of("A=1", "REPLACED=new")));

        assertThat(process.path("args").toString()).isEqualTo("[\"id\",\"-u\"]");
        assertThat(process.path("terminal").asBoolean()).isFalse();
        assertThat(process.has("consoleSize")).isFalse();
        assertThat(process.path("user").toString())
                .isEqualTo("{\"uid\":65534,\"gid\":65534,\"umask\":18,\"additionalGids\":[65534]}");
        assertThat(process.path("cwd").asText()).isEqualTo("/tmp");
        assertThat(process.path("env").toString()).isEqualTo("[\"PATH=/bin\",\"KEPT=1\",\"REPLACED=new\",\"A=1\"]");
        assertThat(process.path("capabilities").toString()).isEqualTo("{\"bounding\":[\"CAP_CHOWN\"]}");
        assertThat(process.path("noNewPrivileges").asBoolean()).isTrue();
        assertThat(process.path("oomScoreAdj").asInt()).isEqualTo(5);
    }

    @Test
    void unsetOptionsKeepTheContainersUserDirAndEnv() throws Exception {
        JsonNode process = build(true, new ProcessOptions(null, null, List.of("A=1")));

        assertThat(process.path("terminal").asBoolean()).isTrue();
        assertThat(process.path("user").path("additionalGids").toString()).isEqualTo("[0,10]");
        assertThat(process.path("cwd").asText()).isEqualTo("/");
        assertThat(process.path("env").toString()).isEqualTo("[\"PATH=/bin\",\"KEPT=1\",\"REPLACED=old\",\"A=1\"]");
    }
}
