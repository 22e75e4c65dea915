package dev.berth.oci;

/**
 * The seccomp filter of a container whose request names none (no {@code seccomp}, no deprecated
 * {@code seccomp_profile_path}). CRI says Unconfined, and kubelet sends RuntimeDefault explicitly when it wants
 * it (SeccompDefault); a node may still choose RuntimeDefault for clients that never ask (berth.yaml
 * {@code security.seccompWhenUnset}). Constant names are the berth.yaml values.
 */
public enum SeccompWhenUnset {
    RuntimeDefault,
    Unconfined
}
