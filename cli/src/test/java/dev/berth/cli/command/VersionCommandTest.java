package dev.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionCommandTest {

    @Test
    void clientVersionIsTheProjectVersion() {
        String projectVersion = System.getProperty("berth.project.version");

        assertThat(VersionCommand.clientVersion()).isEqualTo(projectVersion);
        assertThat(new VersionCommand.Provider().getVersion()).containsExactly("berth version " + projectVersion);
    }
}
