package dev.berth.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code streaming.tlsCert}/{@code tlsKey} the streaming server speaks HTTPS and its URLs say so. */
class StreamingTlsTest {

    @TempDir
    Path dir;

    @Test
    void withACertificateAndKeyTheServerSpeaksHttpsOnly() throws Exception {
        Privileges.require(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path cert = dir.resolve("stream.crt");
        Path key = dir.resolve("stream.key");
        Process openssl = new ProcessBuilder(
                        "/usr/bin/openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-days",
                        "1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue())
                .as(new String(openssl.getInputStream().readAllBytes()))
                .isZero();

        StreamTokens tokens = new StreamTokens(Clock.systemUTC());
        StreamingSettings settings =
                new StreamingSettings("127.0.0.1", 0, cert, key, Duration.ofMinutes(1), Duration.ofSeconds(5));
        try (StreamingServer server = new StreamingServer(settings, tokens, List.of());
                HttpClient https =
                        HttpClient.newBuilder().sslContext(trusting(cert)).build();
                HttpClient plain = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()) {
            server.start();
            var url = server.url(new StreamRequest.Attach("c1", new StreamRequest.Channels(false, true, false, false)));

            assertThat(url.getScheme()).isEqualTo("https");
            assertThat(https.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(400);
            assertThat(https.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(404);
            var cleartext = java.net.URI.create("http://127.0.0.1:" + url.getPort() + "/exec/x");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.send(
                            HttpRequest.newBuilder(cleartext)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("berthd", (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
