package dev.berth.container;

import java.util.Locale;
import java.util.Map;

/** Signal names as images and CRI spell them ("SIGTERM", "TERM", "15", "SIGRTMIN+3") to numbers on Linux. */
final class Signals {

    static final int SIGKILL = 9;
    static final int SIGTERM = 15;

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1),
            Map.entry("INT", 2),
            Map.entry("QUIT", 3),
            Map.entry("ILL", 4),
            Map.entry("TRAP", 5),
            Map.entry("ABRT", 6),
            Map.entry("IOT", 6),
            Map.entry("BUS", 7),
            Map.entry("FPE", 8),
            Map.entry("KILL", 9),
            Map.entry("USR1", 10),
            Map.entry("SEGV", 11),
            Map.entry("USR2", 12),
            Map.entry("PIPE", 13),
            Map.entry("ALRM", 14),
            Map.entry("TERM", 15),
            Map.entry("STKFLT", 16),
            Map.entry("CHLD", 17),
            Map.entry("CLD", 17),
            Map.entry("CONT", 18),
            Map.entry("STOP", 19),
            Map.entry("TSTP", 20),
            Map.entry("TTIN", 21),
            Map.entry("TTOU", 22),
            Map.entry("URG", 23),
            Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25),
            Map.entry("VTALRM", 26),
            Map.entry("PROF", 27),
            Map.entry("WINCH", 28),
            Map.entry("IO", 29),
            Map.entry("POLL", 29),
            Map.entry("PWR", 30),
            Map.entry("SYS", 31),
            Map.entry("RTMIN", 34),
            Map.entry("RTMAX", 64));

    private Signals() {}

    /** @throws IllegalArgumentException for a name Linux does not have */
    static int parse(String signal) {
        String name = signal.strip().toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
            return checked(Integer.parseInt(name), signal);
        }
        for (String base : new String[] {"RTMIN+", "RTMAX-"}) {
            if (name.startsWith(base)) {
                int offset = Integer.parseInt(name.substring(base.length()));
                return checked(base.startsWith("RTMIN") ? 34 + offset : 64 - offset, signal);
            }
        }
        Integer number = NUMBERS.get(name);
        if (number == null) {
            throw new IllegalArgumentException("unknown signal " + signal);
        }
        return number;
    }

    private static int checked(int number, String signal) {
        if (number < 1 || number > 64) {
            throw new IllegalArgumentException("signal " + signal + " is out of range");
        }
        return number;
    }
}
