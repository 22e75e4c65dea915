package dev.berth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class RbacTemplateTest {

    private final ChartUnderTest chart = new ChartUnderTest();

    @Test
    void operatorClusterRoleGrantsExactlyWhatTheOperatorNeeds() {
        var role = chart.render().named("ClusterRole", "berth-operator");

        assertThat(permissions(role))
                .containsExactlyInAnyOrderElementsOf(union(
                        permissions("berth.dev", "images", "get", "list", "watch", "patch", "update"),
                        permissions("berth.dev", "apps", "get", "list", "watch", "patch", "update"),
                        permissions("berth.dev", "imagepulls", "get", "list", "watch", "delete"),
                        permissions("berth.dev", "images/status", "get", "patch", "update"),
                        permissions("berth.dev", "apps/status", "get", "patch", "update"),
                        permissions("berth.dev", "images/finalizers", "update"),
                        permissions("berth.dev", "apps/finalizers", "update"),
                        permissions(
                                "apps", "deployments", "get", "list", "watch", "create", "update", "patch", "delete"),
                        permissions("", "services", "get", "list", "watch", "create", "update", "patch", "delete"),
                        permissions(
                                "autoscaling",
                                "horizontalpodautoscalers",
                                "get",
                                "list",
                                "watch",
                                "create",
                                "update",
                                "patch",
                                "delete"),
                        // an Image's pullSecrets are read by name: list or watch would expose every Secret of the
                        // cluster
                        permissions("", "secrets", "get"),
                        permissions("", "pods", "get", "list", "watch"),
                        permissions("", "nodes", "get", "list", "watch"),
                        permissions("authorization.k8s.io", "selfsubjectrulesreviews", "create")));
    }

    @Test
    void nodeAgentClusterRoleReadsImagesWritesImagePullsAndReadsNodesAndPullSecrets() {
        var role = chart.render().named("ClusterRole", "berth-node-agent");

        assertThat(permissions(role))
                .containsExactlyInAnyOrderElementsOf(union(
                        permissions("berth.dev", "images", "get", "list", "watch"),
                        permissions(
                                "berth.dev",
                                "imagepulls",
                                "get",
                                "list",
                                "watch",
                                "create",
                                "update",
                                "patch",
                                "delete"),
                        permissions("berth.dev", "imagepulls/status", "get", "patch", "update"),
                        permissions("", "nodes", "get", "list", "watch"),
                        permissions("", "secrets", "get")));
    }

    @Test
    void noRuleAnywhereUsesAWildcard() {
        var rendered = chart.render(Map.of("operator.replicas", 3));

        var rules = Stream.concat(rendered.ofKind("ClusterRole").stream(), rendered.ofKind("Role").stream())
                .flatMap(role -> elements(role.path("rules")))
                .toList();
        assertThat(rules).isNotEmpty();
        assertThat(rules).allSatisfy(rule -> {
            for (var field : new String[] {"apiGroups", "resources", "verbs", "resourceNames"}) {
                assertThat(elements(rule.path(field)).map(JsonNode::asText))
                        .as("%s of %s", field, rule)
                        .doesNotContain("*");
            }
            assertThat(rule.has("nonResourceURLs"))
                    .as("non-resource URLs in %s", rule)
                    .isFalse();
        });
    }

    @Test
    void leasePermissionIsANamespacedRoleLimitedToTheOneLease() {
        var rendered = chart.render(Map.of("operator.replicas", 2, "operator.leaderElection.leaseName", "berth-lock"));

        var role = rendered.single("Role");
        assertThat(role.path("metadata").path("namespace").asText()).isEqualTo(ChartUnderTest.NAMESPACE);
        assertThat(permissions(role))
                .containsExactlyInAnyOrder(
                        "coordination.k8s.io/leases:create",
                        "coordination.k8s.io/leases/berth-lock:get",
                        "coordination.k8s.io/leases/berth-lock:update");
        assertThat(rendered.ofKind("ClusterRole").stream().flatMap(RbacTemplateTest::permissionsStream))
                .noneMatch(permission -> permission.contains("leases"));

        var binding = rendered.single("RoleBinding");
        assertThat(binding.path("metadata").path("namespace").asText()).isEqualTo(ChartUnderTest.NAMESPACE);
        assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
        assertThat(binding.path("roleRef").path("name").asText())
                .isEqualTo(role.path("metadata").path("name").asText());
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("berth-operator");
    }

    @Test
    void bindingsTieEachRoleToItsOwnServiceAccount() {
        var rendered = chart.render();

        for (var component : new String[] {"berth-operator", "berth-node-agent"}) {
            var binding = rendered.named("ClusterRoleBinding", component);
            assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("ClusterRole");
            assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(component);
            var subject = binding.path("subjects").get(0);
            assertThat(binding.path("subjects")).hasSize(1);
            assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
            assertThat(subject.path("name").asText()).isEqualTo(component);
            assertThat(subject.path("namespace").asText()).isEqualTo(ChartUnderTest.NAMESPACE);
            rendered.named("ServiceAccount", component);
        }
    }

    @Test
    void rbacCreateFalseRendersNoRbacObjects() {
        var rendered = chart.render(Map.of("rbac.create", false, "operator.replicas", 2));

        assertThat(rendered.kinds()).noneMatch(kind -> kind.matches("(Cluster)?Role(Binding)?/.*"));
    }

    /** Flattens rules to "group/resource[/name]:verb" so that two equivalent rule layouts compare equal. */
    static Set<String> permissions(JsonNode role) {
        return permissionsStream(role).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Stream<String> permissionsStream(JsonNode role) {
        return elements(role.path("rules"))
                .flatMap(rule -> elements(rule.path("apiGroups"))
                        .flatMap(group -> elements(rule.path("resources")).flatMap(resource -> {
                            var names = elements(rule.path("resourceNames"))
                                    .map(n -> "/" + n.asText())
                                    .toList();
                            return (names.isEmpty() ? Stream.of("") : names.stream())
                                    .flatMap(name -> elements(rule.path("verbs"))
                                            .map(verb -> group.asText() + "/" + resource.asText() + name + ":"
                                                    + verb.asText()));
                        })));
    }

    private static Set<String> permissions(String group, String resource, String... verbs) {
        var result = new TreeSet<String>();
        for (var verb : verbs) {
            result.add(group + "/" + resource + ":" + verb);
        }
        return result;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        var result = new TreeSet<String>();
        for (var set : sets) {
            result.addAll(set);
        }
        return result;
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
