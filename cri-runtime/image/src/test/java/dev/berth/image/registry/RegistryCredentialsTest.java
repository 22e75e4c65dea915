package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {

    @Test
    void toStringNeverShowsSecrets() {
        RegistryCredentials credentials = new RegistryCredentials("alice", "hunter2", "idtok", "regtok", "reg.io");

        assertThat(credentials.toString()).contains("alice").doesNotContain("hunter2", "idtok", "regtok");
    }

    @Test
    void decodesDockerAuthField() {
        String auth = Base64.getEncoder().encodeToString("bob:pa:ss".getBytes(StandardCharsets.UTF_8));

        RegistryCredentials credentials = RegistryCredentials.fromAuth(auth, "reg.io");

        assertThat(credentials.username()).isEqualTo("bob");
        assertThat(credentials.password()).isEqualTo("pa:ss");
    }
}
