package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.registry.RegistryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth push, tag and history against a real berthd and real registries, with docker's output. */
class BerthPushTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CliTestBed bed;
    private static String imageId;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot();
        bed = CliTestBed.start();
        CliResult pull = bed.berth("pull", "-q", bed.busybox());
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        CliResult id = bed.berth("images", "-q", "--no-trunc");
        imageId = id.stdout().strip();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void pushOfATaggedImageMountsItsLayersThenFindsThemThere() throws Exception {
        String name = bed.registry() + "/cli/pushed:2";
        CliResult tag = bed.berth("tag", bed.busybox(), name);
        assertThat(tag.exitCode()).as(tag.toString()).isZero();
        assertThat(bed.berth("images").stdout())
                .contains(bed.registry() + "/cli/pushed ")
                .contains(bed.registry() + "/cli/busybox ");

        CliResult push = bed.berth("push", name);

        assertThat(push.exitCode()).as(push.toString()).isZero();
        List<String> lines = push.stdout().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("The push refers to repository [" + bed.registry() + "/cli/pushed]");
        assertThat(lines.subList(1, lines.size() - 1))
                .isNotEmpty()
                .allMatch(line -> line.matches("[0-9a-f]{12}: Mounted from cli/busybox"));
        assertThat(lines.getLast()).matches("2: digest: sha256:[0-9a-f]{64} size: [0-9]+");

        CliResult again = bed.berth("push", name);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout().lines().filter(l -> l.endsWith(": Layer already exists")))
                .hasSize(lines.size() - 2);
        assertThat(again.stdout().lines().toList().getLast()).isEqualTo(lines.getLast());
    }

    @Test
    void pushTakesCredentialsFromAnAuthFileOrTheCommandLine(@TempDir Path home) throws Exception {
        try (RegistryFixture guarded = RegistryFixture.startWithBasicAuth("cli-user", "cli-pass")) {
            String name = guarded.hostPort() + "/team/secret:1";
            assertThat(bed.berth("tag", bed.busybox(), name).exitCode()).isZero();

            CliResult refused =
                    bed.berthWithEnv(List.of("BERTH_ENDPOINT=" + bed.endpoint(), "HOME=" + home), "push", name);
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).startsWith("berth: push " + name + ":");

            Path authfile = Files.writeString(home.resolve("auth.json"), """
                    {"auths": {"%s": {"auth": "%s"}}}""".formatted(
                            guarded.hostPort(),
                            Base64.getEncoder().encodeToString("cli-user:cli-pass".getBytes(StandardCharsets.UTF_8))));
            CliResult pushed = bed.berth("push", "--authfile", authfile.toString(), name);
            assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
            assertThat(pushed.stdout()).contains(": Pushed\n").doesNotContain("cli-pass");
            assertThat(pushed.stdout().lines().toList().getLast()).startsWith("1: digest: sha256:");

            Files.createDirectories(home.resolve(".docker"));
            Files.move(authfile, home.resolve(".docker/config.json"));
            CliResult fromHome =
                    bed.berthWithEnv(List.of("BERTH_ENDPOINT=" + bed.endpoint(), "HOME=" + home), "push", name);
            assertThat(fromHome.exitCode()).as(fromHome.toString()).isZero();
            assertThat(fromHome.stdout()).contains(": Layer already exists\n");

            CliResult creds = bed.berth("push", "-q", "--creds", "cli-user:cli-pass", name);
            assertThat(creds.exitCode()).as(creds.toString()).isZero();
            assertThat(creds.stdout()).matches("sha256:[0-9a-f]{64}\n");
            CliResult wrong = bed.berth("push", "--creds", "cli-user:nope", name);
            assertThat(wrong.exitCode()).isEqualTo(1);
            assertThat(wrong.stdout() + wrong.stderr()).doesNotContain("nope");
        }
    }

    @Test
    void historyShowsDockersColumnsAndJson() throws Exception {
        CliResult table = bed.berth("history", bed.busybox());
        assertThat(table.exitCode()).as(table.toString()).isZero();
        List<String> lines = table.stdout().lines().toList();
        assertThat(lines.getFirst()).matches("IMAGE +CREATED +CREATED BY +SIZE +COMMENT *");
        assertThat(lines.get(1))
                .startsWith(imageId.substring("sha256:".length(), 19) + " ")
                .contains("berth testkit");
        assertThat(lines.subList(2, lines.size())).allMatch(line -> line.startsWith("<missing> "));

        CliResult json = bed.berth("history", "--no-trunc", "--format", "json", bed.busybox());
        assertThat(json.exitCode()).as(json.toString()).isZero();
        List<JsonNode> rows = json.stdout().lines().map(BerthPushTest::parse).toList();
        assertThat(rows).hasSize(lines.size() - 1);
        assertThat(rows.getFirst().get("ID").asText()).isEqualTo(imageId);
        assertThat(rows).allMatch(row -> row.get("CreatedBy").asText().equals("berth testkit"));
        assertThat(rows).allMatch(row -> row.get("CreatedAt").asText().equals("2026-01-01T00:00:00Z"));

        CliResult missing = bed.berth("history", "no/such:image");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("not found");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }
}
