package dev.berth.operator.app;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/**
 * The world as one reconcile saw it, which the status is written from.
 *
 * @param choice     what the pods run, or why nothing was applied (an invalid spec is Blocked too)
 * @param deployment the App's Deployment as last observed; null when there is none
 * @param pods       what keeps the App's pods from being ready
 */
public record AppObservation(ImageChoice choice, Deployment deployment, List<PodProblem> pods) {
    public AppObservation {
        pods = List.copyOf(pods);
    }
}
