package dev.berth.e2e.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.0 GET over a byte stream (a forwarded connection or a plain socket), read to the end: busybox
 * httpd answers a 1.0 request and closes, so the body is everything after the headers.
 */
final class HttpGet {

    private static final int BUFFER = 64 * 1024;

    private HttpGet() {}

    /** Sends {@code GET path}, checks the status is 200, and returns the number of body bytes that followed. */
    static long fetch(String path, InputStream in, OutputStream out) throws IOException {
        out.write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedInputStream response = new BufferedInputStream(in, BUFFER);
        String head = readHead(response);
        String status = head.lines().findFirst().orElse("");
        if (!status.matches("HTTP/1\\.[01] 200 .*")) {
            throw new IOException("GET " + path + " answered " + status);
        }
        byte[] buffer = new byte[BUFFER];
        long body = 0;
        for (int n = response.read(buffer); n >= 0; n = response.read(buffer)) {
            body += n;
        }
        return body;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the response headers: " + head);
            }
            head.append((char) b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString();
    }
}
