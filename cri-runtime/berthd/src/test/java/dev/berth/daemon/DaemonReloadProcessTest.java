package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.store.Directories;
import dev.berth.testing.CountingProxy;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.cri.BerthdProcess;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SIGHUP to a berthd process: berth.yaml's registry and log settings change without a restart. */
class DaemonReloadProcessTest {

    private Path base;

    @BeforeEach
    void setUp() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        base = Files.createTempDirectory("berthd-reload-");
    }

    @AfterEach
    void tearDown() throws Exception {
        Directories.deleteRecursively(base);
    }

    @Test
    void sighupAppliesNewMirrorsAndLogFormatAndABrokenFileKeepsThem() throws Exception {
        try (RegistryFixture registry = RegistryFixture.start();
                CountingProxy mirror = new CountingProxy(registry.baseUri())) {
            ImagePusher pusher = new ImagePusher(registry);
            PushedImage before = pusher.pushImage("reload/before", "1", image(1));
            PushedImage after = pusher.pushImage("reload/after", "1", image(2));
            PushedImage kept = pusher.pushImage("reload/kept", "1", image(3));
            Path config = Files.writeString(base.resolve("berth.yaml"), "");
            try (BerthdProcess berthd = BerthdProcess.start(base, config)) {
                pull(berthd, before);
                assertThat(mirror.requests()).as("no mirror configured yet").isEmpty();

                Files.writeString(config, """
                        registries:
                          "%s":
                            mirrors: ["%s"]
                            mirrorsOnly: true
                        log:
                          format: json
                        """.formatted(registry.hostPort(), mirror.uri()));
                hangUp(berthd, "applied");
                pull(berthd, after);
                assertThat(mirror.count("GET /v2/reload/after/"))
                        .as("the mirror serves pulls after the reload")
                        .isPositive();
                JsonNode applied = new ObjectMapper().readTree(lastLine(berthd, "applied"));
                assertThat(applied.path("logger").asText()).isEqualTo(ConfigReload.class.getName());
                assertThat(applied.path("level").asText()).isEqualTo("INFO");

                Files.writeString(config, "registries: [not, a, mapping\n");
                hangUp(berthd, "the settings in use stay");
                JsonNode refused = new ObjectMapper().readTree(lastLine(berthd, "the settings in use stay"));
                assertThat(refused.path("level").asText()).isEqualTo("ERROR");
                assertThat(berthd.process().isAlive()).isTrue();
                pull(berthd, kept);
                assertThat(mirror.count("GET /v2/reload/kept/"))
                        .as("the last good settings stay")
                        .isPositive();
            }
        }
    }

    private static TestImage image(long seed) {
        return TestImage.builder()
                .layer(TestLayer.random(20_000, 3, seed, TestLayer.Compression.GZIP))
                .build();
    }

    private static void pull(BerthdProcess berthd, PushedImage image) {
        berthd.images()
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(image.reference()))
                        .build());
    }

    /** SIGHUP, then waits for one more log line containing {@code marker} than there was before. */
    private static void hangUp(BerthdProcess berthd, String marker) throws Exception {
        long seen = count(berthd, marker);
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(berthd.pid()))
                .redirectErrorStream(true)
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        long deadline = System.currentTimeMillis() + 20_000;
        while (count(berthd, marker) == seen) {
            assertThat(System.currentTimeMillis())
                    .as("no reload line with \"%s\": %s", marker, berthd.log())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static long count(BerthdProcess berthd, String marker) {
        return berthd.log().lines().filter(line -> line.contains(marker)).count();
    }

    private static String lastLine(BerthdProcess berthd, String marker) {
        return berthd.log()
                .lines()
                .filter(line -> line.contains(marker))
                .reduce((a, b) -> b)
                .orElseThrow();
    }
}
