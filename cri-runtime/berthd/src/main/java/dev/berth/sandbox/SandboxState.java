package dev.berth.sandbox;

/** CREATING is on disk only while RunPodSandbox runs: a record still CREATING after a crash is rolled back. */
public enum SandboxState {
    CREATING,
    READY,
    NOTREADY
}
