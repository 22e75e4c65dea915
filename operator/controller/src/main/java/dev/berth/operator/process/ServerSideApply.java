package dev.berth.operator.process;

import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;

/**
 * How the operator writes to the API server: server-side apply (JOSDK's default, and what a real API server
 * needs for the SSA matcher to compare only the fields the operator owns), or, for an API server without it,
 * create/update with JOSDK's generic matcher. One place, so that the tests that
 * check matching configure JOSDK exactly as the running operator does.
 */
public final class ServerSideApply {
    private ServerSideApply() {}

    public static ConfigurationServiceOverrider configure(ConfigurationServiceOverrider o, boolean enabled) {
        if (!enabled) {
            // Without SSA JOSDK's status write is a JSON Patch diffed from the cached primary (the Image's status
            // is replaced instead: StatusWrites). Comparing resourceVersions lets JOSDK keep its own newer write
            // instead of a stale event.
            o.withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withParseResourceVersions(true);
        }
        return o;
    }
}
