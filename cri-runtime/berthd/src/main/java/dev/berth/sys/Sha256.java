package dev.berth.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 by libcrypto (OpenSSL's SHA-NI/AVX2 code) behind a {@link MessageDigest}, the JDK's own where libcrypto
 * is missing. berthd's JVM compiles with C1 alone, which has no SHA intrinsic: the JDK's SHA-256 ran at ~70 MB/s
 * there, libcrypto at ~1.2 GB/s, and a pull or a build hashes every byte of its layers once or twice. Bytes are
 * gathered in a Java buffer and handed over in 64 KiB runs, so the stream's small writes cost no native call each.
 */
public final class Sha256 extends MessageDigest implements Cloneable {

    /** {@code SHA256_CTX} is 112 bytes on every ABI OpenSSL 3 builds for; room to spare. */
    private static final int CONTEXT_BYTES = 256;

    private static final int RUN_BYTES = 64 * 1024;
    private static final boolean AVAILABLE = LibCrypto.load();

    private Memory context = new Memory(CONTEXT_BYTES);
    private Memory run = new Memory(RUN_BYTES);
    private byte[] pending = new byte[RUN_BYTES];
    private int filled;

    private Sha256() {
        super("SHA-256");
        init();
    }

    /** A fresh SHA-256 hasher: libcrypto's when it loads, else the JDK's. */
    public static MessageDigest newDigest() {
        if (AVAILABLE) {
            return new Sha256();
        }
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Whether hashes come from libcrypto (false: the JDK's). */
    static boolean nativeBacked() {
        return AVAILABLE;
    }

    private void init() {
        if (LibCrypto.SHA256_Init(context) != 1) {
            throw new IllegalStateException("SHA256_Init failed");
        }
    }

    @Override
    protected void engineUpdate(byte input) {
        if (filled == RUN_BYTES) {
            flush();
        }
        pending[filled++] = input;
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int length) {
        while (length > 0) {
            if (filled == 0 && length >= RUN_BYTES) {
                run.write(0, input, offset, RUN_BYTES);
                update(RUN_BYTES);
                offset += RUN_BYTES;
                length -= RUN_BYTES;
                continue;
            }
            int n = Math.min(length, RUN_BYTES - filled);
            System.arraycopy(input, offset, pending, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == RUN_BYTES) {
                flush();
            }
        }
    }

    @Override
    protected byte[] engineDigest() {
        flush();
        byte[] out = new byte[32];
        if (LibCrypto.SHA256_Final(out, context) != 1) {
            throw new IllegalStateException("SHA256_Final failed");
        }
        init();
        return out;
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }

    @Override
    protected void engineReset() {
        filled = 0;
        init();
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        Sha256 copy = (Sha256) super.clone();
        copy.context = new Memory(CONTEXT_BYTES);
        copy.context.write(0, context.getByteArray(0, CONTEXT_BYTES), 0, CONTEXT_BYTES);
        copy.run = new Memory(RUN_BYTES);
        copy.pending = pending.clone();
        return copy;
    }

    private void flush() {
        if (filled > 0) {
            run.write(0, pending, 0, filled);
            update(filled);
            filled = 0;
        }
    }

    private void update(int length) {
        if (LibCrypto.SHA256_Update(context, run, length) != 1) {
            throw new IllegalStateException("SHA256_Update failed");
        }
    }

    /** libcrypto's SHA-256 (deprecated in OpenSSL 3 for EVP, still exported, and with no context to free). */
    private static final class LibCrypto {

        private LibCrypto() {}

        static boolean load() {
            try {
                CLibrary.get(); // sets JNA up to load by soname without spawning ldconfig
                Native.register(LibCrypto.class, NativeLibrary.getInstance("libcrypto.so.3"));
                return true;
            } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                return false;
            }
        }

        static native int SHA256_Init(Pointer context);

        static native int SHA256_Update(Pointer context, Pointer data, long length);

        static native int SHA256_Final(byte[] digest, Pointer context);
    }
}
