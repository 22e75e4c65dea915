package dev.berth.oci;

import java.util.Optional;

/**
 * Numeric uids and gids a container can run as: 0 to 2^31-1, runc's bound (Linux itself takes up to 2^32-2, but
 * runc refuses "uids and gids" above its int range at create).
 */
final class NumericIds {

    static final long MAX_ID = Integer.MAX_VALUE;

    private NumericIds() {}

    static Optional<Long> parse(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        long value = Long.parseLong(text);
        return value <= MAX_ID ? Optional.of(value) : Optional.empty();
    }

    static long check(long id, String what) throws InvalidContainerConfigException {
        if (id < 0 || id > MAX_ID) {
            throw new InvalidContainerConfigException(what + " " + id + " is out of range (0.." + MAX_ID + ")");
        }
        return id;
    }
}
