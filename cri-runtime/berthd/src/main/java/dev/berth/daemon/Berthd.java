package dev.berth.daemon;

import dev.berth.logging.BerthLoggerFactory;
import dev.berth.sys.SystemdNotifier;
import dev.berth.version.BerthVersion;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * berthd's entry point: flags over berth.yaml over embedded defaults; SIGTERM/SIGINT stop it cleanly, SIGHUP
 * re-reads the registry and log settings. {@code berthd check-config} checks a berth.yaml and exits.
 */
public final class Berthd {

    private static final Logger log = LoggerFactory.getLogger(Berthd.class);

    private Berthd() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(CheckConfig.COMMAND)) {
            System.exit(new CheckConfig(System.out).run(List.of(args).subList(1, args.length)));
            return;
        }
        DaemonOptions options;
        BerthConfig config;
        try {
            options = DaemonOptions.parse(List.of(args));
            if (options.help()) {
                System.out.print(DaemonOptions.USAGE);
                return;
            }
            if (options.version()) {
                System.out.println("berthd " + BerthVersion.current());
                return;
            }
            config = new ConfigLoader()
                    .load(options.config(), options.configGiven())
                    .withPaths(options.root(), options.state(), options.socket());
        } catch (IllegalArgumentException | ConfigLoader.InvalidConfigException e) {
            System.err.println("berthd: " + e.getMessage());
            System.exit(2);
            return;
        }
        BerthLoggerFactory.applyIfBound(config.logSettings());
        BerthDaemon daemon;
        try {
            daemon = BerthDaemon.start(config);
        } catch (Exception e) {
            log.error("berthd failed to start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        SystemdNotifier systemd = new SystemdNotifier(System.getenv());
        notify(systemd, "READY=1\nSTATUS=serving CRI on " + config.socketPath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("berthd stopping");
                            notify(systemd, "STOPPING=1");
                            try {
                                daemon.close();
                            } catch (Exception e) {
                                log.warn("error while stopping: {}", e.toString());
                            }
                            stopped.countDown();
                        },
                        "berthd-shutdown"));
        HangupSignal.onHangup(
                new ConfigReload(new ConfigLoader(), options.config(), options.configGiven(), daemon::reload));
        daemon.awaitTermination();
        stopped.await();
    }

    /** A unit whose manager cannot be told times berthd out and says so: a warning is enough here. */
    private static void notify(SystemdNotifier systemd, String state) {
        try {
            systemd.notify(state);
        } catch (IOException e) {
            log.warn("could not notify the service manager: {}", e.getMessage());
        }
    }
}
