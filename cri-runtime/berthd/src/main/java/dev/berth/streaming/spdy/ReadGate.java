package dev.berth.streaming.spdy;

import io.netty.channel.Channel;

/**
 * Stops reading a SPDY connection while any of its streams has more unread client bytes than it buffers,
 * and reads again once none has. SPDY multiplexes, so one paused stream holds back the whole connection:
 * with spdystream, which has no flow control, TCP is the only way to hold back a client.
 */
final class ReadGate {

    private final Channel channel;
    /** Event loop only; may dip below zero when a resume overtakes its pause. */
    private int paused;

    ReadGate(Channel channel) {
        this.channel = channel;
    }

    void pause() {
        channel.eventLoop().execute(() -> update(1));
    }

    void resume() {
        channel.eventLoop().execute(() -> update(-1));
    }

    private void update(int delta) {
        paused += delta;
        boolean read = paused <= 0;
        if (read != channel.config().isAutoRead()) {
            channel.config().setAutoRead(read);
            if (read) {
                channel.read();
            }
        }
    }
}
