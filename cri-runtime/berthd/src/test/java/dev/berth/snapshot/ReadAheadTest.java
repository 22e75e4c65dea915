package dev.berth.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

    private final byte[] data = new byte[1_000_003];

    ReadAheadTest() {
        new Random(7).nextBytes(data);
    }

    @Test
    void readAheadDeliversTheStreamUnchangedToReadsOfAnySize() throws IOException {
        ReadAhead in = ReadAhead.start(new ByteArrayInputStream(data), 4096, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[10_000];
        int[] sizes = {1, 511, 4096, 10_000, 7};
        int n;
        for (int i = 0; (n = in.read(buffer, 0, sizes[i % sizes.length])) >= 0; i++) {
            out.write(buffer, 0, n);
        }
        in.finish();

        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void readAheadPassesOnTheStreamsFailure() {
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(data)) {
            private int reads;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++reads > 3) {
                    throw new IOException("connection reset by registry");
                }
                return super.read(b, off, len);
            }
        };
        ReadAhead in = ReadAhead.start(failing, 4096, 2);

        assertThatThrownBy(in::readAllBytes)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("connection reset by registry");
        in.abandon();
    }

    @Test
    void finishReadsWhatIsLeftOfTheStream() throws IOException {
        Counting counting = new Counting(new ByteArrayInputStream(data));
        ReadAhead in = ReadAhead.start(counting, 4096, 2);
        in.readNBytes(100);

        in.finish();

        assertThat(counting.bytes.get()).isEqualTo(data.length);
    }

    @Test
    void abandonStopsReadingTheStream() throws Exception {
        Counting counting = new Counting(new ByteArrayInputStream(new byte[50_000_000]));
        ReadAhead in = ReadAhead.start(counting, 4096, 2);
        in.readNBytes(100);

        in.abandon();
        long afterAbandon = counting.bytes.get();
        Thread.sleep(50);

        assertThat(counting.bytes.get()).isEqualTo(afterAbandon).isLessThan(50_000_000);
    }

    private static final class Counting extends FilterInputStream {
        final AtomicLong bytes = new AtomicLong();

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                bytes.addAndGet(n);
            }
            return n;
        }
    }
}
