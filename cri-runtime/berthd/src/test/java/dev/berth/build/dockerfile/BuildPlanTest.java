package dev.berth.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildPlanTest {

    private static final Platform AMD64 = new Platform("linux", "amd64", "");

    private static final String MULTI_STAGE = """
            # syntax=docker/dockerfile:1
            ARG GO_VERSION=1.22
            ARG BASE=alpine:3.20

            FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
            ARG TARGETOS TARGETARCH
            WORKDIR /src
            COPY go.mod go.sum ./
            RUN --network=none go mod download
            COPY . .
            RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app

            FROM build AS test
            RUN go test ./...

            FROM alpine:3.20 AS certs
            RUN apk add --no-cache ca-certificates

            FROM ${BASE}
            ARG BASE
            LABEL org.opencontainers.image.base.name=$BASE
            COPY --from=certs /etc/ssl/certs/ /etc/ssl/certs/
            COPY --from=build --chown=65534:65534 /out/app /usr/local/bin/app
            USER 65534
            EXPOSE 8080
            HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "health"]
            ENTRYPOINT ["/usr/local/bin/app"]
            """;

    private static BuildPlan plan(String text, Map<String, String> args, String target) throws DockerfileException {
        return BuildPlan.of(Dockerfile.parse("Dockerfile", text), new BuildOptions(args, target, AMD64, AMD64));
    }

    private static List<String> labels(BuildPlan plan) {
        return plan.stages().stream().map(s -> s.stage().label()).toList();
    }

    @Test
    void multiStageExampleBuildsTheStagesTheLastOneNeedsInOrder() throws Exception {
        BuildPlan plan = plan(MULTI_STAGE, Map.of(), "");

        assertThat(labels(plan)).containsExactly("build", "certs", "3");
        assertThat(plan.stages().get(0))
                .extracting(PlannedStage::base, PlannedStage::baseStage, PlannedStage::platform)
                .containsExactly("golang:1.22", -1, "linux/amd64");
        assertThat(plan.stages().get(2).base()).isEqualTo("alpine:3.20");
        assertThat(plan.dockerfile().stages().get(3).instructions()).hasSize(8);
    }

    @Test
    void multiStageExampleResolvesTheFinalStage() throws Exception {
        BuildPlan plan = plan(MULTI_STAGE, Map.of("BASE", "alpine:edge"), "");
        StageScope scope = plan.scope(Map.of("PATH", "/usr/bin"));
        List<Instruction> resolved = new ArrayList<>();
        for (Instruction instruction : plan.stages().get(2).stage().instructions()) {
            resolved.add(scope.resolve(instruction));
        }

        assertThat(plan.stages().get(2).base()).isEqualTo("alpine:edge");
        assertThat(resolved.get(1))
                .isEqualTo(new Instruction.Label(
                        21, List.of(new KeyValue("org.opencontainers.image.base.name", "alpine:edge"))));
        Instruction.Copy app = (Instruction.Copy) resolved.get(3);
        assertThat(plan.stageNamed(app.from()).map(Stage::index)).hasValue(0);
        assertThat(resolved.get(7))
                .isEqualTo(new Instruction.Entrypoint(27, new Command.Exec(List.of("/usr/local/bin/app"))));
    }

    @Test
    void targetSelectsAStageAndItsBaseStages() throws Exception {
        assertThat(labels(plan(MULTI_STAGE, Map.of(), "test"))).containsExactly("build", "test");
        assertThat(labels(plan(MULTI_STAGE, Map.of(), "CERTS"))).containsExactly("certs");
    }

    @Test
    void unknownTargetIsAnError() {
        assertThatThrownBy(() -> plan(MULTI_STAGE, Map.of(), "nope"))
                .isInstanceOf(DockerfileException.class)
                .hasMessage("Dockerfile: target stage \"nope\" could not be found");
    }

    @Test
    void copyFromTakesAStageIndexAndTreatsOtherNamesAsImages() throws Exception {
        BuildPlan plan = plan(
                "FROM a\nRUN x\nFROM b\nRUN y\nFROM c\nCOPY --from=0 /x /x\nCOPY --from=busybox:1 /bin/sh /sh\n",
                Map.of(),
                "");

        assertThat(labels(plan)).containsExactly("0", "2");
    }

    @Test
    void copyFromIsExpandedWithTheStageArgs() throws Exception {
        BuildPlan plan = plan(
                "FROM a AS one\nFROM b AS two\nFROM c\nARG SRC=one\nCOPY --from=$SRC /x /x\n",
                Map.of("SRC", "two"),
                "");

        assertThat(labels(plan)).containsExactly("two", "2");
    }

    @Test
    void copyFromItsOwnStageOrACycleIsRefused() {
        assertThatThrownBy(() -> plan("FROM a AS x\nCOPY --from=x /a /a\n", Map.of(), ""))
                .hasMessage("Dockerfile:2: COPY: --from=x refers to its own stage");
        assertThatThrownBy(() ->
                        plan("FROM a AS x\nCOPY --from=y /a /a\nFROM b AS y\nCOPY --from=x /b /b\n", Map.of(), ""))
                .hasMessageContaining("circular dependency");
    }

    @Test
    void globalArgDefaultsMaySeeEarlierGlobalsAndPlatformArgs() throws Exception {
        BuildPlan plan = plan("ARG OS=$TARGETOS\nARG IMAGE=base-${OS}\nFROM $IMAGE\n", Map.of(), "");

        assertThat(plan.stages().get(0).base()).isEqualTo("base-linux");
    }

    @Test
    void blankBaseImageIsAnError() {
        assertThatThrownBy(() -> plan("ARG IMAGE\nFROM $IMAGE\n", Map.of(), ""))
                .hasMessage("Dockerfile:2: FROM: base name ($IMAGE) should not be blank");
    }
}
