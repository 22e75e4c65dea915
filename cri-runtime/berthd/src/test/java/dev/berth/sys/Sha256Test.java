package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {

    private static final byte[] DATA = data(3 * 64 * 1024 + 12_345);

    @Test
    void libcryptoBacksTheDigestOnAHostWithOpenSsl() {
        assertThat(Sha256.nativeBacked()).isTrue();
        assertThat(Sha256.newDigest()).isInstanceOf(Sha256.class);
    }

    @Test
    void digestEqualsTheJdksWhateverTheWritesLookLike() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(DATA);

        MessageDigest whole = Sha256.newDigest();
        whole.update(DATA);
        MessageDigest bytewise = Sha256.newDigest();
        for (int i = 0; i < 70_000; i++) {
            bytewise.update(DATA[i]);
        }
        bytewise.update(DATA, 70_000, DATA.length - 70_000);
        MessageDigest uneven = Sha256.newDigest();
        Random random = new Random(3);
        for (int off = 0; off < DATA.length; ) {
            int n = Math.min(DATA.length - off, random.nextInt(200_000));
            uneven.update(DATA, off, n);
            off += n;
        }

        assertThat(whole.digest()).isEqualTo(expected);
        assertThat(bytewise.digest()).isEqualTo(expected);
        assertThat(uneven.digest()).isEqualTo(expected);
    }

    @Test
    void aCloneDigestsWhatWasHashedSoFarAndTheOriginalGoesOn() throws Exception {
        MessageDigest digest = Sha256.newDigest();
        digest.update(DATA, 0, 100_000);

        byte[] prefix = ((MessageDigest) digest.clone()).digest();
        digest.update(DATA, 100_000, DATA.length - 100_000);

        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        jdk.update(DATA, 0, 100_000);
        assertThat(prefix).isEqualTo(jdk.digest());
        assertThat(digest.digest())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(DATA));
    }

    @Test
    void aDigestStartsAfreshAfterDigestAndReset() throws Exception {
        MessageDigest digest = Sha256.newDigest();
        digest.update(DATA);
        digest.digest();
        digest.update(new byte[] {1, 2, 3});
        digest.reset();
        digest.update(DATA, 0, 10);

        assertThat(digest.digest())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(DATA, 10)));
    }

    private static byte[] data(int size) {
        byte[] bytes = new byte[size];
        new Random(9).nextBytes(bytes);
        return bytes;
    }
}
