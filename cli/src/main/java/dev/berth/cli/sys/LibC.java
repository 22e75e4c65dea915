package dev.berth.cli.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The libc calls of the CLI's terminal handling, bound by JNA direct mapping. A {@code struct termios} is held
 * as opaque bytes (60 on Linux; the buffers are larger): the CLI only saves, makes raw and restores it.
 */
final class LibC {

    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {}

    static native int isatty(int fd);

    static native int tcgetattr(int fd, byte[] termios) throws LastErrorException;

    static native int tcsetattr(int fd, int optionalActions, byte[] termios) throws LastErrorException;

    static native void cfmakeraw(byte[] termios);

    /** {@code TIOCGWINSZ} fills {@code struct winsize}: rows, columns, x pixels, y pixels. */
    static native int ioctl(int fd, long request, short[] winsize) throws LastErrorException;
}
