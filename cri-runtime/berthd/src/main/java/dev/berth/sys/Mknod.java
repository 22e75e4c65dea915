package dev.berth.sys;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.ptr.LongByReference;

/**
 * mknod(2). glibc exports {@code mknod} only since 2.33; older ones (RHEL 8's 2.28) have {@code __xmknod}
 * with a version argument, so the symbol is looked up once instead of direct-mapped.
 */
final class Mknod {

    /** {@code _MKNOD_VER} on x86_64 and on the generic ABI (aarch64). */
    private static final int XMKNOD_VERSION = 0;

    private final Function mknod;
    private final Function xmknod;

    Mknod() {
        NativeLibrary libc = CLibrary.get();
        Function modern;
        try {
            modern = libc.getFunction("mknod", Function.THROW_LAST_ERROR);
        } catch (UnsatisfiedLinkError e) {
            modern = null;
        }
        this.mknod = modern;
        this.xmknod = modern == null ? libc.getFunction("__xmknod", Function.THROW_LAST_ERROR) : null;
    }

    /** Throws {@link com.sun.jna.LastErrorException} on failure. */
    void call(byte[] path, int mode, long device) {
        if (mknod != null) {
            mknod.invokeInt(new Object[] {path, mode, device});
        } else {
            xmknod.invokeInt(new Object[] {XMKNOD_VERSION, path, mode, new LongByReference(device)});
        }
    }
}
