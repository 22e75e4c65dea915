package dev.berth.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BerthVersionTest {

    @Test
    void currentIsTheProjectVersionTheBuildStamped() {
        // surefire passes ${project.version}: the test holds no version literal to keep in step
        assertThat(System.getProperty("berth.project.version")).isNotBlank();
        assertThat(BerthVersion.current()).isEqualTo(System.getProperty("berth.project.version"));
    }
}
