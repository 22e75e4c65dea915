package dev.berth.testing;

import org.junit.jupiter.api.Assumptions;

/** Tests that need root or real binaries skip on a developer's laptop, but never in CI. */
public final class Privileges {

    private Privileges() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "this test needs root (namespaces, chown, mknod, trusted xattrs)");
    }

    public static void require(boolean condition, String why) {
        if (inCi()) {
            if (!condition) {
                throw new AssertionError("CI=true but " + why);
            }
            return;
        }
        Assumptions.assumeTrue(condition, "skipped: " + why);
    }
}
