package dev.berth.container;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.image.manifest.ImageConfig;
import dev.berth.imagestore.ImageLookup;
import dev.berth.imagestore.ImageRecord;
import dev.berth.imagestore.LayerRecord;
import dev.berth.logging.LogIds;
import dev.berth.oci.BuiltSpec;
import dev.berth.oci.ContainerSpecRequest;
import dev.berth.oci.InvalidContainerConfigException;
import dev.berth.oci.OciSpecBuilder;
import dev.berth.runtime.ConmonLaunch;
import dev.berth.runtime.ConmonStarted;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Monitor;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.sandbox.ReadyPod;
import dev.berth.sandbox.ReadyPods;
import dev.berth.store.AtomicFiles;
import dev.berth.store.ConflictException;
import dev.berth.store.Directories;
import dev.berth.store.IdLocks;
import dev.berth.store.NotFoundException;
import dev.berth.store.RecordIds;
import dev.berth.store.RecordStore;
import dev.berth.store.Timestamps;
import dev.berth.timing.PhaseTimer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreateContainer: rootfs overlay, OCI spec, conmon running {@code runc create}. Each step is undone if a
 * later one fails, so a failed create leaves nothing behind, or, where undoing fails too, an EXITED record
 * saying so that RemoveContainer retries; a crash half-way leaves a CREATING record that
 * {@link ContainerRecovery} rolls back.
 */
public final class ContainerCreator {

    private static final Logger log = LoggerFactory.getLogger(ContainerCreator.class);
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);

    private final RecordStore<ContainerRecord> containers;
    private final ReadyPods pods;
    private final ImageLookup images;
    private final Object nameLock = new Object();
    private final ContainerLeases containerLeases;
    private final ContainerRootfs rootfs;
    private final ContainerPaths paths;
    private final OciSpecBuilder specs;
    private final RuntimeHandlers runtimes;
    private final Monitor conmon;
    private final ContainerTeardown teardown;
    private final RecordIds ids;
    private final IdLocks podLocks;

    public ContainerCreator(
            RecordStore<ContainerRecord> containers,
            ReadyPods pods,
            ImageLookup images,
            ContainerLeases containerLeases,
            ContainerRootfs rootfs,
            ContainerPaths paths,
            OciSpecBuilder specs,
            RuntimeHandlers runtimes,
            Monitor conmon,
            ContainerTeardown teardown,
            RecordIds ids,
            IdLocks podLocks) {
        this.containers = containers;
        this.pods = pods;
        this.images = images;
        this.containerLeases = containerLeases;
        this.rootfs = rootfs;
        this.paths = paths;
        this.specs = specs;
        this.runtimes = runtimes;
        this.conmon = conmon;
        this.teardown = teardown;
        this.ids = ids;
        this.podLocks = podLocks;
    }

    /**
     * Holds the pod's lock throughout: StopPodSandbox and RemovePodSandbox wait for it rather than tear down a
     * container still being built (which left the creator to fail half-way, or to record a container of a
     * removed pod).
     */
    public ContainerRecord create(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig)
            throws IOException, NotFoundException, ConflictException, InvalidContainerConfigException {
        try (IdLocks.Held held = podLocks.lock(sandboxId);
                LogIds.Scope id = LogIds.keep(LogIds.CONTAINER_ID)) {
            return createLocked(sandboxId, config, sandboxConfig);
        }
    }

    private ContainerRecord createLocked(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig)
            throws IOException, NotFoundException, ConflictException, InvalidContainerConfigException {
        PhaseTimer timer = new PhaseTimer();
        ReadyPod sandbox = pods.require(sandboxId);
        if (!config.hasMetadata() || config.getMetadata().getName().isEmpty()) {
            throw new IllegalArgumentException("container config has no metadata.name");
        }
        if (!config.hasImage() || config.getImage().getImage().isEmpty()) {
            throw new IllegalArgumentException("container config has no image");
        }
        ImageRecord image = images.find(config.getImage().getImage())
                .orElseThrow(
                        () -> new NotFoundException("image", config.getImage().getImage()));
        ImageConfig imageConfig = images.config(image);
        ContainerRuntime runtime = runtimes.require(sandbox.runtimeHandler());
        requireRecursiveReadOnlySupport(config, runtime, sandbox.runtimeHandler());
        List<String> chainIds =
                image.layers().stream().map(LayerRecord::chainId).toList();
        String id = ids.next();
        LogIds.container(id);
        String name = config.getMetadata().getName();
        ContainerMetadata metadata = new ContainerMetadata(
                id,
                sandboxId,
                name,
                config.getMetadata().getAttempt(),
                config.getImage().getImage(),
                imageName(config.getImage(), image),
                config.getImage().getUserSpecifiedImage(),
                image.id(),
                imageRef(image),
                config.getLabelsMap(),
                config.getAnnotationsMap(),
                sandbox.runtimeHandler(),
                sandbox.cgroupPath() + "/" + id,
                logPath(sandboxConfig, config, id),
                stopSignal(config, imageConfig),
                chainIds,
                ContainerConfigs.mounts(config.getMountsList()),
                Timestamps.nowNanos(),
                config.toByteArray());
        ContainerRecord record = ContainerRecord.creating(
                metadata, ContainerConfigs.resources(config.getLinux().getResources()));
        synchronized (nameLock) {
            checkNameFree(sandbox, name, config.getMetadata().getAttempt());
            containers.putTransient(record);
        }
        timer.lap("record");
        containerLeases.hold(id, chainIds);
        try {
            MountSources.prepare(config);
            Path mounted = rootfs.mount(id, chainIds);
            timer.lap("overlay");
            BuiltSpec spec = specs.build(specRequest(id, sandbox, config, sandboxConfig, imageConfig, image, mounted));
            timer.lap("spec");
            Path bundle = paths.bundle(id);
            // no fsync: the runtime reads it within this call, and the bundle is on tmpfs, gone with a reboot
            AtomicFiles.writeUnsynced(bundle.resolve("config.json"), spec.configJson());
            Directories.createPrivate(paths.persist(id));
            Directories.createPrivate(paths.exits());
            Directories.createPrivate(paths.sockets());
            Directories.createPrivate(
                    Path.of(metadata.logPath()).toAbsolutePath().getParent());
            timer.lap("files");
            ConmonStarted started = conmon.create(
                    new ConmonLaunch(
                            id,
                            name,
                            bundle,
                            Path.of(metadata.logPath()),
                            paths.exits(),
                            paths.persist(id),
                            paths.sockets(),
                            config.getTty(),
                            config.getStdin(),
                            config.getStdinOnce(),
                            CREATE_TIMEOUT),
                    runtime);
            timer.lap("conmon-runc-create");
            ContainerRecord created = record.created(started.conmonPid(), started.containerPid(), spec.user());
            containers.put(created);
            timer.lap("final-record");
            log.info(
                    "created container {} ({}) in pod {}: pid {}, conmon {}",
                    id,
                    name,
                    sandboxId,
                    started.containerPid(),
                    started.conmonPid());
            log.debug("container {} of pod {} CreateContainer phases ms: {}", id, sandboxId, timer.summary());
            return created;
        } catch (IOException | InvalidContainerConfigException | RuntimeException e) {
            try {
                teardown.remove(record, "CreateContainer failed (" + e.getMessage() + ") and rolling it back failed");
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** CRI callers may ask for rro only where Status announced it; a runtime that cannot must refuse. */
    private static void requireRecursiveReadOnlySupport(
            ContainerConfig config, ContainerRuntime runtime, String handler) throws InvalidContainerConfigException {
        for (var mount : config.getMountsList()) {
            if (mount.getRecursiveReadOnly() && !runtime.features().recursiveReadOnlyMounts()) {
                throw new InvalidContainerConfigException("recursive read-only mount at " + mount.getContainerPath()
                        + ": runtime handler \"" + handler + "\" does not support recursive read-only mounts");
            }
        }
    }

    private void checkNameFree(ReadyPod sandbox, String name, int attempt) throws ConflictException {
        for (ContainerRecord other : containers.all()) {
            if (other.sandboxId().equals(sandbox.id())
                    && other.name().equals(name)
                    && other.metadata().attempt() == attempt) {
                throw new ConflictException(
                        ConflictException.Kind.ALREADY_EXISTS,
                        "container name " + name + " attempt " + attempt + " is already used by " + other.id()
                                + " in pod " + sandbox.id());
            }
        }
    }

    private ContainerSpecRequest specRequest(
            String id,
            ReadyPod sandbox,
            ContainerConfig config,
            PodSandboxConfig sandboxConfig,
            ImageConfig imageConfig,
            ImageRecord image,
            Path mounted) {
        Map<String, Path> namespaces = new HashMap<>();
        if (sandbox.netns() != null) {
            namespaces.put("network", sandbox.netns());
        }
        if (sandbox.ipcns() != null) {
            namespaces.put("ipc", sandbox.ipcns());
        }
        if (sandbox.utsns() != null) {
            namespaces.put("uts", sandbox.utsns());
        }
        boolean podPid =
                config.getLinux().getSecurityContext().getNamespaceOptions().getPid() == NamespaceMode.POD;
        Path pidNs = podPid ? sandbox.pidns() : null;
        return new ContainerSpecRequest(
                id,
                sandbox.id(),
                config,
                sandboxConfig,
                imageConfig.config(),
                config.getImage().getImage(),
                mounted,
                namespaces,
                pidNs,
                sandbox.hosts(),
                sandbox.resolvConf(),
                sandbox.hostname(),
                sandbox.shm(),
                sandbox.cgroupPath() + "/" + id);
    }

    /**
     * kubelet's LogPath is relative to the pod's log directory; without either the log stays in the bundle.
     * conmon writes the file as root, so a log_path may not climb out of the directory it is relative to.
     * With no log directory an absolute log_path is the client's own choice (crictl's), as in containerd.
     */
    private String logPath(PodSandboxConfig sandboxConfig, ContainerConfig config, String id) {
        String relative = config.getLogPath();
        String dir = sandboxConfig.getLogDirectory();
        if (relative.isEmpty()) {
            return paths.bundle(id).resolve("container.log").toString();
        }
        if (dir.isEmpty() && Path.of(relative).isAbsolute()) {
            return Path.of(relative).normalize().toString();
        }
        Path base = dir.isEmpty() || !Path.of(dir).isAbsolute()
                ? paths.bundle(id)
                : Path.of(dir).normalize();
        Path logPath = base.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !logPath.startsWith(base) || logPath.equals(base)) {
            throw new IllegalArgumentException("log_path \"" + relative + "\" must be a relative path inside the pod's"
                    + " log_directory \"" + dir + "\"");
        }
        return logPath.toString();
    }

    private static int stopSignal(ContainerConfig config, ImageConfig imageConfig) {
        if (config.getStopSignalValue() != 0) {
            return Signals.parse(config.getStopSignal().name());
        }
        String fromImage = imageConfig.config().stopSignal();
        return fromImage == null || fromImage.isBlank() ? Signals.SIGTERM : Signals.parse(fromImage);
    }

    /**
     * The name ContainerStatus and ListContainers show: the image as the pod spec wrote it (kubelet sends the image
     * ID in image and the name in user_specified_image), else the requested name, else for a request by ID the
     * image's first tag, as containerd reports it.
     */
    static String imageName(ImageSpec spec, ImageRecord image) {
        if (!spec.getUserSpecifiedImage().isBlank()) {
            return spec.getUserSpecifiedImage();
        }
        String requested = spec.getImage().strip();
        String bare = requested.startsWith("sha256:") ? requested.substring("sha256:".length()) : requested;
        boolean byId = bare.matches("[0-9a-f]+") && image.id().startsWith("sha256:" + bare);
        return byId && !image.repoTags().isEmpty() ? image.repoTags().getFirst() : requested;
    }

    private static String imageRef(ImageRecord image) {
        return image.repoDigests().isEmpty() ? image.id() : image.repoDigests().getFirst();
    }
}
