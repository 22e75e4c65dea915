package dev.berth.container;

/**
 * A host path mounted into a container, as CRI's Mount names it. Image volumes and id-mapped mounts are refused at
 * create, so these fields are all a created container's mount has.
 */
public record ContainerMount(
        String containerPath,
        String hostPath,
        boolean readonly,
        boolean selinuxRelabel,
        Propagation propagation,
        boolean recursiveReadOnly) {

    public enum Propagation {
        PRIVATE,
        HOST_TO_CONTAINER,
        BIDIRECTIONAL
    }

    public ContainerMount {
        propagation = propagation == null ? Propagation.PRIVATE : propagation;
    }
}
