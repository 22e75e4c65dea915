package dev.berth.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A remote command's view of the client, whatever the wire protocol (SPDY or WebSocket). A stream the
 * client did not ask for is null (stderr is always null with a tty).
 *
 * @param stdin      reads what the client sends; returns -1 when the client closes its stdin or goes away
 * @param stdout     writes to the client; a write fails with an IOException once the client has gone
 * @param resizes    terminal sizes from the client's resize channel; closed when the stream ends
 * @param clientGone completes when the client's connection ends: the backend must then end what it runs
 */
public record RemoteStreams(
        InputStream stdin,
        OutputStream stdout,
        OutputStream stderr,
        TerminalSizeQueue resizes,
        CompletableFuture<Void> clientGone) {}
