package dev.berth.sandbox;

import dev.berth.sys.NamespaceCalls;

/** The namespaces berthd creates for a pod in-process; PID is the one kind that needs a resident process. */
public enum PodNamespace {
    NET("net", NamespaceCalls.CLONE_NEWNET),
    IPC("ipc", NamespaceCalls.CLONE_NEWIPC),
    UTS("uts", NamespaceCalls.CLONE_NEWUTS);

    private final String procName;
    private final int cloneFlag;

    PodNamespace(String procName, int cloneFlag) {
        this.procName = procName;
        this.cloneFlag = cloneFlag;
    }

    /** The name under {@code /proc/<tid>/ns/}. */
    public String procName() {
        return procName;
    }

    int cloneFlag() {
        return cloneFlag;
    }
}
