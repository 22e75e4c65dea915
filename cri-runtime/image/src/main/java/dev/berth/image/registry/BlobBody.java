package dev.berth.image.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/**
 * A request body read from part of a file as it is sent, never the whole blob in memory, with a fixed
 * Content-Length; {@code sent} hears the running count of bytes read from the file.
 */
final class BlobBody {

    private BlobBody() {}

    static HttpRequest.BodyPublisher of(Path file, long offset, long length, LongConsumer sent) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> open(file, offset, length, sent)), length);
    }

    private static InputStream open(Path file, long offset, long length, LongConsumer sent) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new Range(Channels.newInputStream(channel), length, sent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static final class Range extends FilterInputStream {

        private final LongConsumer sent;
        private long left;
        private long read;

        Range(InputStream in, long length, LongConsumer sent) {
            super(in);
            this.left = length;
            this.sent = sent;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("blob file ended " + left + " bytes early");
            }
            left -= n;
            read += n;
            sent.accept(read);
            return n;
        }
    }
}
