package dev.berth.cli.grpc;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** gRPC over HTTP/2's headers (grpc/doc/PROTOCOL-HTTP2.md): a call's request, and the status of its response. */
final class GrpcHeaders {

    /** Set by the transport, never taken from the caller's metadata. */
    private static final Set<String> RESERVED =
            Set.of("content-type", "te", "user-agent", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding");

    private GrpcHeaders() {}

    static List<Header> request(
            MethodDescriptor<?, ?> method, String authority, String userAgent, Long timeoutNanos, Metadata metadata) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header(":method", "POST"));
        headers.add(new Header(":scheme", "http"));
        headers.add(new Header(":path", "/" + method.getFullMethodName()));
        headers.add(new Header(":authority", authority));
        headers.add(new Header("content-type", "application/grpc"));
        headers.add(new Header("te", "trailers"));
        headers.add(new Header("user-agent", userAgent));
        if (timeoutNanos != null) {
            headers.add(new Header("grpc-timeout", timeout(timeoutNanos)));
        }
        for (String key : metadata.keys()) {
            if (RESERVED.contains(key) || key.startsWith(":")) {
                continue;
            }
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                for (byte[] value : metadata.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
                    headers.add(
                            new Header(key, Base64.getEncoder().withoutPadding().encodeToString(value)));
                }
            } else {
                for (String value : metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
                    headers.add(new Header(key, value));
                }
            }
        }
        return headers;
    }

    /** At most 8 digits, in the finest unit that fits: nanoseconds up to hours. */
    static String timeout(long nanos) {
        long value = Math.max(0, nanos);
        TimeUnit[] units = {
            TimeUnit.NANOSECONDS, TimeUnit.MICROSECONDS, TimeUnit.MILLISECONDS,
            TimeUnit.SECONDS, TimeUnit.MINUTES, TimeUnit.HOURS
        };
        String suffixes = "numSMH";
        for (int i = 0; i < units.length; i++) {
            long converted = units[i].convert(value, TimeUnit.NANOSECONDS);
            if (converted < 100_000_000L) {
                // rounded up: a deadline must not arrive early at the server
                if (units[i].toNanos(converted) < value) {
                    converted++;
                }
                return converted + suffixes.substring(i, i + 1);
            }
        }
        return "99999999H";
    }

    /** The headers as the call's metadata: pseudo-headers left out, binary values decoded. */
    static Metadata metadata(List<Header> headers) {
        Metadata metadata = new Metadata();
        for (Header header : headers) {
            String name = header.name();
            if (name.startsWith(":")) {
                continue;
            }
            try {
                if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    metadata.put(
                            Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER),
                            Base64.getDecoder().decode(header.value().strip()));
                } else {
                    metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), header.value());
                }
            } catch (IllegalArgumentException e) {
                // a name gRPC's metadata refuses or a value that is not base64: not the call's to see
            }
        }
        return metadata;
    }

    static String value(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.name().equals(name)) {
                return header.value();
            }
        }
        return null;
    }

    /**
     * The call's status from its trailers: grpc-status and the percent-encoded grpc-message; without them, what
     * the HTTP status says (grpc/doc/http-grpc-status-mapping.md).
     */
    static Status status(List<Header> trailers) {
        String code = value(trailers, "grpc-status");
        if (code == null) {
            String http = value(trailers, ":status");
            if (http != null && !http.equals("200")) {
                return httpStatus(http);
            }
            return Status.UNKNOWN.withDescription("missing GRPC status in response");
        }
        Status status;
        try {
            status = Status.fromCodeValue(Integer.parseInt(code));
        } catch (NumberFormatException e) {
            status = Status.UNKNOWN.withDescription("an unparsable grpc-status: " + code);
        }
        String message = value(trailers, "grpc-message");
        return message == null ? status : status.withDescription(percentDecoded(message));
    }

    static Status httpStatus(String http) {
        Status status = switch (http) {
            case "400" -> Status.INTERNAL;
            case "401" -> Status.UNAUTHENTICATED;
            case "403" -> Status.PERMISSION_DENIED;
            case "404" -> Status.UNIMPLEMENTED;
            case "429", "502", "503", "504" -> Status.UNAVAILABLE;
            default -> Status.UNKNOWN;
        };
        return status.withDescription("HTTP status code " + http);
    }

    /** grpc-message: UTF-8, its bytes outside printable ASCII and '%' as %XX. */
    static String percentDecoded(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '%' && i + 2 < message.length()) {
                int hi = Character.digit(message.charAt(i + 1), 16);
                int lo = Character.digit(message.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out.write(c);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
