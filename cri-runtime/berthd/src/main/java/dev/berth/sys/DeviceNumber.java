package dev.berth.sys;

/** A device's major and minor number, and glibc's {@code makedev} encoding of them into a {@code dev_t}. */
public record DeviceNumber(long major, long minor) {

    public static final DeviceNumber NONE = new DeviceNumber(0, 0);

    public DeviceNumber {
        if (major < 0 || major > 0xffff_ffffL || minor < 0 || minor > 0xffff_ffffL) {
            throw new IllegalArgumentException("device number out of range: " + major + ":" + minor);
        }
    }

    /** The {@code dev_t} that {@code mknod} takes and {@code stat} reports ({@code unix:rdev}). */
    public long encode() {
        return ((major & 0xffff_f000L) << 32)
                | ((major & 0xfffL) << 8)
                | ((minor & 0xffff_ff00L) << 12)
                | (minor & 0xffL);
    }

    public static DeviceNumber decode(long dev) {
        long major = ((dev >>> 32) & 0xffff_f000L) | ((dev >>> 8) & 0xfffL);
        long minor = ((dev >>> 12) & 0xffff_ff00L) | (dev & 0xffL);
        return new DeviceNumber(major, minor);
    }

    @Override
    public String toString() {
        return major + ":" + minor;
    }
}
