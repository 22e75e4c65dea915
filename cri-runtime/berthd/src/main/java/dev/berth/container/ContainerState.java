package dev.berth.container;

/** CREATING is on disk only while CreateContainer runs: a record still CREATING after a crash is rolled back. */
public enum ContainerState {
    CREATING,
    CREATED,
    RUNNING,
    EXITED
}
