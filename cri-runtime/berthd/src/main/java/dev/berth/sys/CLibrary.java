package dev.berth.sys;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** The C library, by glibc's soname first. */
final class CLibrary {

    /** The soname dlopen finds at once; {@code libc.so} (JNA's "c") is a linker script beside the dev headers. */
    private static final String GLIBC = "libc.so.6";

    private CLibrary() {}

    /**
     * JNA's "c" fails dlopen where libc.so is that linker script and falls back to parsing {@code ldconfig -p},
     * a process spawn that cost 80-270 ms of berthd's start.
     */
    static NativeLibrary get() {
        try {
            return NativeLibrary.getInstance(GLIBC);
        } catch (UnsatisfiedLinkError e) {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        }
    }
}
