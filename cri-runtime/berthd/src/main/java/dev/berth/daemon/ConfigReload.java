package dev.berth.daemon;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * berth.yaml read again while berthd runs (SIGHUP): a file that does not load is logged and changes nothing; one
 * that loads goes to {@code apply}, which takes what can change without a restart (registries, log levels).
 */
final class ConfigReload implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private final ConfigLoader loader;
    private final Path path;
    private final boolean mustExist;
    private final Consumer<BerthConfig> apply;

    ConfigReload(ConfigLoader loader, Path path, boolean mustExist, Consumer<BerthConfig> apply) {
        this.loader = loader;
        this.path = path;
        this.mustExist = mustExist;
        this.apply = apply;
    }

    @Override
    public void run() {
        reload();
    }

    /** Whether the file loaded and its settings now apply. */
    boolean reload() {
        BerthConfig fresh;
        try {
            fresh = loader.load(path, mustExist);
        } catch (ConfigLoader.InvalidConfigException e) {
            log.error("reload: {}; the settings in use stay", e.getMessage());
            return false;
        }
        apply.accept(fresh);
        log.info("reload: {} applied (registries, log level); other settings need a restart", path);
        return true;
    }
}
