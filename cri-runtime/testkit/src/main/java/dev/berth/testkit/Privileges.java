package dev.berth.testkit;

import org.junit.jupiter.api.Assumptions;

/** Tests that need root or real binaries skip on a developer's laptop, but never in CI. */
public final class Privileges {

    private Privileges() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void requireRoot() {
        require(
                "root".equals(System.getProperty("user.name")),
                "this test needs root (namespaces, chown, mknod, trusted xattrs)");
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

    /**
     * Skips, in CI too, a test that does not apply to this host's kind (a cgroup v1 manager test on a cgroup v2
     * host): not a missing prerequisite, which {@link #require} fails on in CI.
     */
    public static void onlyWhere(boolean applies, String why) {
        Assumptions.assumeTrue(applies, "not for this host: " + why);
    }
}
