package dev.berth.sys;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;

/**
 * Whether this x86_64 kernel runs x32-ABI system calls: built with CONFIG_X86_X32_ABI (Debian's and most distributions'
 * kernels are not) and not turned off with {@code syscall.x32=n}. Without it the kernel answers every x32 call
 * ENOSYS, so no x32 program can run in a container and a seccomp filter need not cover that ABI.
 */
public final class X32Abi {

    private static final long X32_SYSCALL_BIT = 0x40000000L;
    private static final long NR_GETPID = 39;

    private X32Abi() {}

    /**
     * Asked of the kernel with an x32 getpid; only on x86_64. {@code underSeccomp}: berthd itself runs under a
     * seccomp filter (the Seccomp line of /proc/self/status is not 0).
     */
    public static boolean supported(boolean underSeccomp) {
        if (underSeccomp) {
            // a filter on berthd itself may kill the thread that makes a call of an ABI it does not list
            return true;
        }
        Function syscall = CLibrary.get().getFunction("syscall", Function.THROW_LAST_ERROR);
        try {
            syscall.invokeLong(new Object[] {X32_SYSCALL_BIT | NR_GETPID});
            return true;
        } catch (LastErrorException e) {
            return e.getErrorCode() != Errno.ENOSYS;
        }
    }
}
