package dev.berth.network;

/**
 * The per-call parameters CNI passes in the environment.
 *
 * @param netns empty when the namespace is gone (DEL only; plugins then clean up what lives outside it)
 * @param cniArgs CNI_ARGS, {@code K=V;K=V}
 */
record CniInvocation(String containerId, String netns, String ifName, String cniArgs) {

    static String podArgs(PodNetworkRequest request) {
        return "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + request.podNamespace() + ";K8S_POD_NAME=" + request.podName()
                + ";K8S_POD_INFRA_CONTAINER_ID=" + request.podId() + ";K8S_POD_UID=" + request.podUid();
    }
}
