package dev.berth.daemon;

import dev.berth.logging.BerthLoggerFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** berthd's entry point: flags over berth.yaml over embedded defaults; SIGTERM/SIGINT stop it cleanly, SIGHUP re-reads the registry and log settings. */
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("berthd stopping");
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
}
