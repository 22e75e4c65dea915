package dev.berth.daemon;

import sun.misc.Signal;

/**
 * SIGHUP, the reload signal of daemons (systemd's {@code ExecReload=kill -HUP $MAINPID}). Through sun.misc.Signal
 * (module jdk.unsupported), the one signal API a JDK offers; it replaces the JVM's default, which would exit.
 */
final class HangupSignal {

    private HangupSignal() {}

    /** From now on every SIGHUP runs {@code reload} on a thread of its own, so the JVM's signal thread never waits. */
    static void onHangup(Runnable reload) {
        Signal.handle(
                new Signal("HUP"),
                signal -> Thread.ofVirtual().name("berthd-reload").start(reload));
    }
}
