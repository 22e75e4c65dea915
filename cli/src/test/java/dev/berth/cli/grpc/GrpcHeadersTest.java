package dev.berth.cli.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GrpcHeadersTest {

    @Test
    void timeoutTakesTheFinestUnitWithinEightDigitsRoundedUp() {
        assertThat(GrpcHeaders.timeout(999)).isEqualTo("999n");
        assertThat(GrpcHeaders.timeout(TimeUnit.SECONDS.toNanos(120))).isEqualTo("120000m");
        assertThat(GrpcHeaders.timeout(TimeUnit.SECONDS.toNanos(3600))).isEqualTo("3600000m");
        assertThat(GrpcHeaders.timeout(TimeUnit.SECONDS.toNanos(3600) + 1)).isEqualTo("3600001m");
        assertThat(GrpcHeaders.timeout(TimeUnit.DAYS.toNanos(3650))).isEqualTo("5256000M");
    }

    @Test
    void statusComesFromGrpcStatusWithItsMessagePercentDecoded() {
        Status status = GrpcHeaders.status(List.of(
                new Header("grpc-status", "5"), new Header("grpc-message", "image %E2%80%9Cx%E2%80%9D: 100%25 gone")));

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).isEqualTo("image “x”: 100% gone");
    }

    @Test
    void responseWithoutGrpcStatusMapsItsHttpStatus() {
        assertThat(GrpcHeaders.status(List.of(new Header(":status", "404"))).getCode())
                .isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(GrpcHeaders.status(List.of(new Header(":status", "503"))).getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(GrpcHeaders.status(List.of(new Header(":status", "200"))).getCode())
                .isEqualTo(Status.Code.UNKNOWN);
    }

    @Test
    void requestCarriesTheCallersMetadataBinaryAsBase64() {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("x-trace", Metadata.ASCII_STRING_MARSHALLER), "abc");
        metadata.put(Metadata.Key.of("x-blob-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {1, 2, 3});

        List<Header> headers = GrpcHeaders.request(TestService.ECHO, "localhost", "berth/test", 1_000_000L, metadata);

        assertThat(headers)
                .contains(
                        new Header(":path", "/test.Test/Echo"),
                        new Header("te", "trailers"),
                        new Header("grpc-timeout", "1000000n"),
                        new Header("x-trace", "abc"),
                        new Header("x-blob-bin", "AQID"));
        assertThat(GrpcHeaders.metadata(headers).get(Metadata.Key.of("x-blob-bin", Metadata.BINARY_BYTE_MARSHALLER)))
                .containsExactly(1, 2, 3);
    }
}
