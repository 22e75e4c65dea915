package dev.berth.operator.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * How a reconciler's status write reaches the API server. With server-side apply (a real API server) JOSDK's
 * patchStatus applies the fields the operator owns, as it always has. Without it JOSDK would send a JSON Patch
 * diffed from the cached primary, and that cache may not have caught up with the operator's previous write: an
 * entry it removes from a list by index can be gone on the server already (seen with 50 node agents: "Array index
 * 2 out of bounds at /status/prePull/nodes", which the mock server never answered). There the status is replaced
 * whole under the resourceVersion lock instead; a conflict retries on the fresh object, and JOSDK keeps the written
 * object for the next reconciliation.
 */
public final class StatusWrites {
    private final boolean serverSideApply;

    public StatusWrites(boolean serverSideApply) {
        this.serverSideApply = serverSideApply;
    }

    /** {@code control} as the reconciler decided it, or, where it writes the status by replacing it, done so. */
    public <S, P extends CustomResource<?, S>> UpdateControl<P> send(UpdateControl<P> control, Context<P> context) {
        if (serverSideApply || !control.isPatchStatus()) {
            return control;
        }
        P desired = control.getResource().orElseThrow();
        S status = desired.getStatus();
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(desired, context, fresh -> {
            fresh.setStatus(status);
            return fresh;
        });
        UpdateControl<P> written = UpdateControl.noUpdate();
        control.getScheduleDelay().ifPresent(written::rescheduleAfter);
        return written;
    }
}
