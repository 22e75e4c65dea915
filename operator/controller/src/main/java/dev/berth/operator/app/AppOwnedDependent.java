package dev.berth.operator.app;

import dev.berth.operator.model.App;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * An object named like its App and owned by it. The owner reference is marked as the controller, so
 * {@code kubectl describe} shows "Controlled By: App/…" and no second controller adopts the object.
 */
abstract class AppOwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, App> {

    AppOwnedDependent(Class<R> type) {
        super(type);
    }

    /**
     * JOSDK would build the whole desired object just to learn its name, also when deleting it after its
     * precondition turned false (when the spec no longer describes it): the name alone is enough.
     */
    @Override
    protected ResourceID targetSecondaryResourceID(App app, Context<App> context) {
        return new ResourceID(app.getMetadata().getName(), app.getMetadata().getNamespace());
    }

    @Override
    protected void addReferenceHandlingMetadata(R target, App app) {
        super.addReferenceHandlingMetadata(target, app);
        for (OwnerReference ref : target.getMetadata().getOwnerReferences()) {
            if (app.getMetadata().getUid() != null && app.getMetadata().getUid().equals(ref.getUid())) {
                ref.setController(true);
            }
        }
    }
}
