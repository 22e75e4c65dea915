package dev.berth.cri.validation;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.Device;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.KeyValue;
import dev.berth.cri.v1.Mount;
import dev.berth.cri.v1.MountPropagation;
import dev.berth.cri.v1.Signal;
import java.util.List;

/** ContainerConfig: what the container runs, sees and may do. */
final class ContainerConfigChecks {

    private ContainerConfigChecks() {}

    static void check(String field, ContainerConfig config) throws InvalidRequestException {
        Check.required(field + ".metadata.name", config.getMetadata().getName(), RequestLimits.MAX_NAME_BYTES);
        image(field + ".image", config.getImage(), true);
        argv(field, config.getCommandList(), config.getArgsList(), config.getEnvsList());
        Check.absolutePath(field + ".working_dir", config.getWorkingDir());
        Check.count(field + ".mounts", config.getMountsCount(), RequestLimits.MAX_MOUNTS);
        for (int i = 0; i < config.getMountsCount(); i++) {
            mount(field + ".mounts[" + i + "]", config.getMounts(i));
        }
        Check.count(field + ".devices", config.getDevicesCount(), RequestLimits.MAX_DEVICES);
        for (int i = 0; i < config.getDevicesCount(); i++) {
            device(field + ".devices[" + i + "]", config.getDevices(i));
        }
        Check.count(field + ".CDI_devices", config.getCDIDevicesCount(), RequestLimits.MAX_CDI_DEVICES);
        for (int i = 0; i < config.getCDIDevicesCount(); i++) {
            Check.text(
                    field + ".CDI_devices[" + i + "].name",
                    config.getCDIDevices(i).getName(),
                    RequestLimits.MAX_TOKEN_BYTES);
        }
        Check.labels(field + ".labels", config.getLabelsMap());
        Check.labels(field + ".annotations", config.getAnnotationsMap());
        Check.text(field + ".log_path", config.getLogPath(), RequestLimits.MAX_PATH_BYTES);
        if (config.getStopSignal() == Signal.UNRECOGNIZED) {
            throw new InvalidRequestException(
                    field + ".stop_signal", config.getStopSignalValue() + " is not a signal CRI names");
        }
        ResourceChecks.check(field + ".linux.resources", config.getLinux().getResources());
        SecurityChecks.container(
                field + ".linux.security_context", config.getLinux().getSecurityContext());
    }

    static void image(String field, ImageSpec image, boolean required) throws InvalidRequestException {
        if (required) {
            Check.required(field + ".image", image.getImage(), RequestLimits.MAX_IMAGE_BYTES);
        } else {
            Check.text(field + ".image", image.getImage(), RequestLimits.MAX_IMAGE_BYTES);
        }
        Check.text(field + ".user_specified_image", image.getUserSpecifiedImage(), RequestLimits.MAX_IMAGE_BYTES);
        Check.text(field + ".image_ref", image.getImageRef(), RequestLimits.MAX_IMAGE_BYTES);
        Check.text(field + ".runtime_handler", image.getRuntimeHandler(), RequestLimits.MAX_TOKEN_BYTES);
        Check.labels(field + ".annotations", image.getAnnotationsMap());
    }

    /** command, args and envs as execve(2) will get them: bounded each and together, env keys well-formed. */
    private static void argv(String field, List<String> command, List<String> args, List<KeyValue> envs)
            throws InvalidRequestException {
        Check.count(field + ".command and args", command.size() + args.size(), RequestLimits.MAX_ARGV);
        long total = ExecChecks.arguments(field + ".command", command) + ExecChecks.arguments(field + ".args", args);
        Check.count(field + ".envs", envs.size(), RequestLimits.MAX_ENV);
        for (int i = 0; i < envs.size(); i++) {
            String entry = field + ".envs[" + i + "]";
            KeyValue env = envs.get(i);
            String key = env.getKey();
            if (key.isEmpty()) {
                throw new InvalidRequestException(entry + ".key", "is empty");
            }
            if (key.indexOf('=') >= 0) {
                throw new InvalidRequestException(entry + ".key", Shown.of(key) + " contains '='");
            }
            Check.text(entry + ".key", key, RequestLimits.MAX_ARG_BYTES);
            Check.text(entry + ".value", env.getValue(), RequestLimits.MAX_ARG_BYTES);
            long bytes = Check.utf8Bytes(key) + 1 + Check.utf8Bytes(env.getValue()) + 1;
            if (bytes > RequestLimits.MAX_ARG_BYTES) {
                throw new InvalidRequestException(
                        entry,
                        "is " + bytes + " bytes as KEY=value, more than " + RequestLimits.MAX_ARG_BYTES
                                + " (the kernel's limit of one)");
            }
            total += bytes;
        }
        if (total > RequestLimits.MAX_EXEC_TOTAL_BYTES) {
            throw new InvalidRequestException(
                    field + ".command, args and envs",
                    "are " + total + " bytes together, more than " + RequestLimits.MAX_EXEC_TOTAL_BYTES
                            + " (the kernel's ARG_MAX)");
        }
    }

    private static void mount(String field, Mount mount) throws InvalidRequestException {
        Check.containerPath(field + ".container_path", mount.getContainerPath());
        Check.text(field + ".host_path", mount.getHostPath(), RequestLimits.MAX_PATH_BYTES);
        Check.text(field + ".image_sub_path", mount.getImageSubPath(), RequestLimits.MAX_PATH_BYTES);
        image(field + ".image", mount.getImage(), false);
        if (mount.getPropagation() == MountPropagation.UNRECOGNIZED) {
            throw new InvalidRequestException(
                    field + ".propagation", mount.getPropagationValue() + " is not a mount propagation");
        }
    }

    private static void device(String field, Device device) throws InvalidRequestException {
        Check.containerPath(field + ".container_path", device.getContainerPath());
        if (device.getHostPath().isEmpty()) {
            throw new InvalidRequestException(field + ".host_path", "is required");
        }
        Check.absolutePath(field + ".host_path", device.getHostPath());
        Check.text(field + ".permissions", device.getPermissions(), RequestLimits.MAX_TOKEN_BYTES);
    }
}
