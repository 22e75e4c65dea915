package dev.berth.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppSpec;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The path production takes on a real API server: every dependent of every App shape, applied once with
 * server-side apply, must then match through JOSDK's SSA matcher (so the next reconcile writes nothing), and
 * a real change must not match. The mock-server tests cannot see this: Fabric8's mock has no server-side apply
 * and no defaulting, so they run JOSDK's other matcher.
 */
class AppServerSideApplyMatchTest {
    private static SsaMatchFixture fixture;
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @BeforeAll
    static void start() {
        fixture = new SsaMatchFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static Stream<Arguments> shapes() {
        return AppSpecShapes.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @Test
    void productionWritesEveryDependentWithServerSideApply() {
        assertThat(fixture.settings.serverSideApply()).isTrue();
        var service = fixture.configuration().getConfigurationService();
        for (String name : List.of(AppReconciler.DEPLOYMENT, "service", "hpa")) {
            assertThat(service.shouldUseSSA((KubernetesDependentResource<?, ?>) fixture.dependent(name)))
                    .as(name)
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void everyDependentMatchesWhatTheServerStoredAfterOneApply(String shape, AppSpec spec) {
        App app = asServed(SsaMatchFixture.app("web", spec));
        Context<App> context = fixture.context(app, SsaMatchFixture.IMAGE);
        List<String> dependents = fixture.applicable(app, context);
        assertThat(dependents).contains(AppReconciler.DEPLOYMENT);
        for (String name : dependents) {
            AppOwnedDependent<?> dependent = fixture.dependent(name);
            HasMetadata stored = fixture.stored(dependent, app, context);

            Matcher.Result<?> result = match(dependent, stored, app, context);
            assertThat(result.matched())
                    .as("%s: %s matches after one apply, so the next reconcile writes nothing", shape, name)
                    .isTrue();
            boolean direct = SSABasedGenericKubernetesResourceMatcher.getInstance()
                    .matches(stored, (HasMetadata) result.computedDesired().orElseThrow(), context);
            assertThat(direct)
                    .as("%s: %s through the SSA matcher itself", shape, name)
                    .isTrue();
        }
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                change(
                        "image",
                        AppReconciler.DEPLOYMENT,
                        s -> {},
                        "registry.example/shop/web@sha256:" + "cd".repeat(32)),
                change("replicas", AppReconciler.DEPLOYMENT, s -> s.setReplicas(5), null),
                change(
                        "env var added",
                        AppReconciler.DEPLOYMENT,
                        s -> s.getEnv()
                                .add(new EnvVarBuilder()
                                        .withName("EXTRA")
                                        .withValue("1")
                                        .build()),
                        null),
                change(
                        "env var removed",
                        AppReconciler.DEPLOYMENT,
                        s -> s.getEnv().removeFirst(),
                        null),
                change(
                        "env value changed",
                        AppReconciler.DEPLOYMENT,
                        s -> s.getEnv()
                                .set(
                                        0,
                                        new EnvVarBuilder()
                                                .withName("MODE")
                                                .withValue("staging")
                                                .build()),
                        null),
                change("all env removed", AppReconciler.DEPLOYMENT, s -> s.setEnv(null), null),
                change("health check removed", AppReconciler.DEPLOYMENT, s -> s.setHealthCheck(null), null),
                change(
                        "volume removed",
                        AppReconciler.DEPLOYMENT,
                        s -> s.getVolumes().removeLast(),
                        null),
                change(
                        "cpu limit changed",
                        AppReconciler.DEPLOYMENT,
                        s -> s.getResources().getLimits().put("cpu", new io.fabric8.kubernetes.api.model.Quantity("3")),
                        null),
                change(
                        "port added",
                        "service",
                        s -> s.getPorts().add(AppSpecShapes.port("admin", 9990, null, null)),
                        null),
                change(
                        "service port changed",
                        "service",
                        s -> s.getPorts().getFirst().setServicePort(81),
                        null),
                change("max replicas", "hpa", s -> s.getAutoscaling().setMaxReplicas(9), null),
                change("cpu target", "hpa", s -> s.getAutoscaling().setTargetCPUUtilizationPercentage(50), null));
    }

    private static Arguments change(String what, String dependent, Consumer<AppSpec> edit, String image) {
        return Arguments.of(what, dependent, edit, image);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void aRealChangeDoesNotMatch(String what, String name, Consumer<AppSpec> edit, String newImage) {
        // without autoscaling, so that the Deployment's replicas are the operator's (with it they are the HPA's)
        AppSpec spec =
                "hpa".equals(name) ? AppSpecShapes.full(s -> {}) : AppSpecShapes.full(s -> s.setAutoscaling(null));
        App before = asServed(SsaMatchFixture.app("web", spec));
        AppOwnedDependent<?> dependent = fixture.dependent(name);
        HasMetadata stored = fixture.stored(dependent, before, fixture.context(before, SsaMatchFixture.IMAGE));

        AppSpec changed = asServed(before).getSpec();
        edit.accept(changed);
        App after = asServed(SsaMatchFixture.app("web", changed));
        Context<App> context = fixture.context(after, newImage != null ? newImage : SsaMatchFixture.IMAGE);
        assertThat(match(dependent, stored, after, context).matched())
                .as("%s is applied", what)
                .isFalse();
    }

    @Test
    void removingEveryOptionalFieldDoesNotMatchTheFullDeployment() {
        App full = asServed(SsaMatchFixture.app("web", AppSpecShapes.full(s -> {})));
        AppOwnedDependent<?> deployment = fixture.dependent(AppReconciler.DEPLOYMENT);
        HasMetadata stored = fixture.stored(deployment, full, fixture.context(full, SsaMatchFixture.IMAGE));

        App bare = asServed(SsaMatchFixture.app("web", AppSpecShapes.spec(s -> {})));
        assertThat(match(deployment, stored, bare, fixture.context(bare, SsaMatchFixture.IMAGE))
                        .matched())
                .isFalse();
    }

    /** As JOSDK's workflow calls it: the dependent computes desired, adds its metadata and picks the matcher. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Matcher.Result<?> match(
            AppOwnedDependent<?> dependent, HasMetadata actual, App app, Context<App> context) {
        return ((KubernetesDependentResource) dependent).match(actual, app, context);
    }

    /** The App as the informer hands it to the reconciler: through JSON, so absent fields are Jackson's. */
    private static App asServed(App app) {
        return JSON.unmarshal(JSON.asJson(app), App.class);
    }
}
