package dev.berth.cri;

import java.util.Optional;

/** The image config's USER as CRI reports it: a numeric uid, or else a name for kubelet to check. */
record ImageUser(Long uid, String name) {

    static Optional<ImageUser> parse(String user) {
        if (user == null || user.isBlank()) {
            return Optional.empty();
        }
        String userPart = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (userPart.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ImageUser(Long.parseLong(userPart), null));
        } catch (NumberFormatException e) {
            return Optional.of(new ImageUser(null, userPart));
        }
    }
}
