package dev.berth.operator.app;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/**
 * The world as one reconcile saw it, which the status is written from.
 *
 * @param choice     what the pods run, or why nothing was applied (an invalid spec is Blocked too)
 * @param image      the image the App names, for people (kubectl's IMAGE column): spec.image, or the spec.image
 *                   of the Image spec.imageRef names; null while that Image is missing
 * @param deployment the App's Deployment as last observed; null when there is none
 * @param pods       what keeps the App's pods from being ready
 */
public record AppObservation(ImageChoice choice, String image, Deployment deployment, List<PodProblem> pods) {
    public AppObservation {
        pods = List.copyOf(pods);
    }
}
