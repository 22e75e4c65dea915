package dev.berth.cri.validation;

import dev.berth.api.v1.ContainerExecRequest;
import dev.berth.api.v1.HistoryRequest;
import dev.berth.api.v1.PushRequest;
import dev.berth.api.v1.TagRequest;
import dev.berth.cri.v1.AttachRequest;
import dev.berth.cri.v1.AuthConfig;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerStatsFilter;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.ExecRequest;
import dev.berth.cri.v1.ExecSyncRequest;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PodSandboxFilter;
import dev.berth.cri.v1.PodSandboxStatsFilter;
import dev.berth.cri.v1.PortForwardRequest;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.UpdateContainerResourcesRequest;
import dev.berth.cri.v1.UpdatePodSandboxResourcesRequest;
import java.time.Duration;

/**
 * The request-validation layer of the CRI edge: each *Rpc class hands its request here before the feature runs,
 * so a client's mistake is INVALID_ARGUMENT naming the field ({@link InvalidRequestException}) before any pod,
 * container, cgroup or file is made. The bounds are {@link RequestLimits}; what only the feature can know (an
 * image that is not there, a host path that does not exist) stays with the feature.
 */
public final class Requests {

    private Requests() {}

    /** A pod, container or image ID a call needs. */
    public static String id(String field, String value) throws InvalidRequestException {
        Check.id(field, value);
        return value;
    }

    public static void check(RunPodSandboxRequest request) throws InvalidRequestException {
        Check.text("runtime_handler", request.getRuntimeHandler(), RequestLimits.MAX_TOKEN_BYTES);
        PodConfigChecks.check("config", request.getConfig());
    }

    public static void check(CreateContainerRequest request) throws InvalidRequestException {
        Check.id("pod_sandbox_id", request.getPodSandboxId());
        ContainerConfigChecks.check("config", request.getConfig());
        PodConfigChecks.check("sandbox_config", request.getSandboxConfig());
    }

    public static void check(UpdateContainerResourcesRequest request) throws InvalidRequestException {
        Check.id("container_id", request.getContainerId());
        ResourceChecks.check("linux", request.getLinux());
        Check.labels("annotations", request.getAnnotationsMap());
    }

    public static void check(UpdatePodSandboxResourcesRequest request) throws InvalidRequestException {
        Check.id("pod_sandbox_id", request.getPodSandboxId());
        ResourceChecks.checkOverhead("overhead", request.getOverhead());
        ResourceChecks.check("resources", request.getResources());
    }

    public static void check(ExecSyncRequest request) throws InvalidRequestException {
        Check.id("container_id", request.getContainerId());
        ExecChecks.cmd("cmd", request.getCmdList());
    }

    public static void check(ExecRequest request) throws InvalidRequestException {
        Check.id("container_id", request.getContainerId());
        ExecChecks.cmd("cmd", request.getCmdList());
        Check.text("audit_request_id", request.getAuditRequestId(), RequestLimits.MAX_TOKEN_BYTES);
    }

    /** berth.v1's Exec: CRI's, and the options bounded as a container's user, working_dir and envs are. */
    public static void check(ContainerExecRequest request) throws InvalidRequestException {
        check(request.getExec());
        Check.text("user", request.getUser(), RequestLimits.MAX_TOKEN_BYTES);
        Check.absolutePath("workdir", request.getWorkdir());
        ExecChecks.env("env", request.getEnvList());
    }

    public static void check(AttachRequest request) throws InvalidRequestException {
        Check.id("container_id", request.getContainerId());
        Check.text("audit_request_id", request.getAuditRequestId(), RequestLimits.MAX_TOKEN_BYTES);
    }

    public static void check(PortForwardRequest request) throws InvalidRequestException {
        Check.id("pod_sandbox_id", request.getPodSandboxId());
        Check.count("port", request.getPortCount(), RequestLimits.MAX_FORWARDED_PORTS);
    }

    public static void check(PodSandboxFilter filter) throws InvalidRequestException {
        Check.idPrefix("filter.id", filter.getId());
        Check.labels("filter.label_selector", filter.getLabelSelectorMap());
    }

    public static void check(ContainerFilter filter) throws InvalidRequestException {
        Check.idPrefix("filter.id", filter.getId());
        Check.idPrefix("filter.pod_sandbox_id", filter.getPodSandboxId());
        Check.labels("filter.label_selector", filter.getLabelSelectorMap());
    }

    public static void check(ContainerStatsFilter filter) throws InvalidRequestException {
        Check.idPrefix("filter.id", filter.getId());
        Check.idPrefix("filter.pod_sandbox_id", filter.getPodSandboxId());
        Check.labels("filter.label_selector", filter.getLabelSelectorMap());
    }

    public static void check(PodSandboxStatsFilter filter) throws InvalidRequestException {
        Check.idPrefix("filter.id", filter.getId());
        Check.labels("filter.label_selector", filter.getLabelSelectorMap());
    }

    /** The image of ImageStatus, PullImage or RemoveImage (required), or of ListImages' filter (optional). */
    public static String image(String field, ImageSpec image, boolean required) throws InvalidRequestException {
        ContainerConfigChecks.image(field, image, required);
        return image.getImage();
    }

    public static void check(PullImageRequest request) throws InvalidRequestException {
        image("image", request.getImage(), true);
        credentials("auth", request.getAuth());
    }

    /** berth.v1's Pull: the same fields as CRI's PullImage, the same checks. */
    public static void check(dev.berth.api.v1.PullRequest request) throws InvalidRequestException {
        image("image", request.getImage(), true);
        credentials("auth", request.getAuth());
    }

    public static void check(PushRequest request) throws InvalidRequestException {
        Check.required("image", request.getImage(), RequestLimits.MAX_IMAGE_BYTES);
        credentials("auth", request.getAuth());
    }

    public static void check(TagRequest request) throws InvalidRequestException {
        Check.required("source", request.getSource(), RequestLimits.MAX_IMAGE_BYTES);
        Check.required("target", request.getTarget(), RequestLimits.MAX_IMAGE_BYTES);
    }

    public static void check(HistoryRequest request) throws InvalidRequestException {
        Check.required("image", request.getImage(), RequestLimits.MAX_IMAGE_BYTES);
    }

    /** Bounded, but never shown: a message about a credential must not carry any of it. */
    private static void credentials(String field, AuthConfig auth) throws InvalidRequestException {
        Check.text(field + ".username", auth.getUsername(), RequestLimits.MAX_TOKEN_BYTES);
        Check.text(field + ".server_address", auth.getServerAddress(), RequestLimits.MAX_IMAGE_BYTES);
        secret(field + ".password", auth.getPassword());
        secret(field + ".auth", auth.getAuth());
        secret(field + ".identity_token", auth.getIdentityToken());
        secret(field + ".registry_token", auth.getRegistryToken());
    }

    private static void secret(String field, String value) throws InvalidRequestException {
        if (Check.utf8Bytes(value) > RequestLimits.MAX_CREDENTIAL_BYTES) {
            throw new InvalidRequestException(field, "is longer than " + RequestLimits.MAX_CREDENTIAL_BYTES + " bytes");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidRequestException(field, "contains a NUL byte");
        }
    }

    public static void podCidr(String field, String cidr) throws InvalidRequestException {
        Check.text(field, cidr, RequestLimits.MAX_TOKEN_BYTES);
    }

    /**
     * A timeout in seconds as CRI sends it (int64): 0 or less is {@code ifUnset}, more than {@code max} is
     * {@code max}, so no value can overflow a clock (Long.MAX_VALUE seconds is no Duration's nanos).
     */
    public static Duration timeout(long seconds, Duration ifUnset, Duration max) {
        if (seconds <= 0) {
            return ifUnset;
        }
        return seconds >= max.toSeconds() ? max : Duration.ofSeconds(seconds);
    }
}
