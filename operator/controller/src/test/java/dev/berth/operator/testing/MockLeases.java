package dev.berth.operator.testing;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/** Lets leader election run against Fabric8's CRUD mock server. */
public final class MockLeases {
    private MockLeases() {}

    /** JOSDK asks the API server whether it may use leases before electing; the CRUD mock cannot answer that. */
    public static void allow(KubernetesMockServer server) {
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(
                        201,
                        new SelfSubjectRulesReviewBuilder()
                                .withNewStatus()
                                .withIncomplete(false)
                                .withResourceRules(new ResourceRuleBuilder()
                                        .withApiGroups("coordination.k8s.io")
                                        .withResources("leases")
                                        .withVerbs("get", "create", "update")
                                        .build())
                                .endStatus()
                                .build())
                .always();
    }
}
