package dev.berth.sys;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** The C library, by glibc's soname first. */
final class CLibrary {

    /** The soname dlopen finds at once; {@code libc.so} (JNA's "c") is a linker script beside the dev headers. */
    private static final String GLIBC = "libc.so.6";
    /**
     * Unset, JNA's NativeLibrary spawns {@code ldconfig -p} when it initialises, to learn the directories it
     * searches for a library by name; berthd only loads libc by soname, which dlopen resolves itself.
     */
    private static final String JNA_PLATFORM_PATH = "jna.platform.library.path";

    private CLibrary() {}

    /**
     * JNA's "c" fails dlopen where libc.so is that linker script and goes on searching its paths, 60-270 ms of
     * berthd's start here; the {@code ldconfig -p} spawn that set those paths up cost another ~30 ms.
     */
    static NativeLibrary get() {
        if (System.getProperty(JNA_PLATFORM_PATH) == null) {
            System.setProperty(JNA_PLATFORM_PATH, "");
        }
        try {
            return NativeLibrary.getInstance(GLIBC);
        } catch (UnsatisfiedLinkError e) {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        }
    }
}
