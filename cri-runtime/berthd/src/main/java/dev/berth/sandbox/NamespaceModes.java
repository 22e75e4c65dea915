package dev.berth.sandbox;

/**
 * The namespaces a pod asked for, as CRI's NamespaceOption names them. User namespaces are not supported, so no
 * mode of theirs is kept.
 */
public record NamespaceModes(Mode network, Mode pid, Mode ipc, String targetId) {

    public enum Mode {
        POD,
        CONTAINER,
        NODE,
        TARGET
    }

    public static final NamespaceModes ALL_POD = new NamespaceModes(Mode.POD, Mode.POD, Mode.POD, "");

    public NamespaceModes {
        network = network == null ? Mode.POD : network;
        pid = pid == null ? Mode.POD : pid;
        ipc = ipc == null ? Mode.POD : ipc;
        targetId = targetId == null ? "" : targetId;
    }
}
