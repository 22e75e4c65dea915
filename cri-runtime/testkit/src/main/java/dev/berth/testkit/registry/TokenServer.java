package dev.berth.testkit.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker token service on 127.0.0.1, as Docker Hub's auth.docker.io: it checks Basic credentials
 * (or lets anyone pull when it has none) and issues RS256 JWTs that docker-registry verifies against
 * the certificate written to {@link #rootCertBundle()}.
 */
final class TokenServer implements AutoCloseable {

    static final String SERVICE = "berth-test";
    static final String ISSUER = "berth-test-issuer";

    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Path rootCertBundle;
    private final String user;
    private final String password;
    private final AtomicInteger requests = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();

    TokenServer(Path dir, String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        Path keystore = dir.resolve("token-signer.p12");
        Processes.run(
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "signer",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=berth-test-token-signer",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "berth-test"),
                60);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, "berth-test".toCharArray());
            key = (PrivateKey) store.getKey("signer", "berth-test".toCharArray());
            certificate = (X509Certificate) store.getCertificate("signer");
        } catch (Exception e) {
            throw new IOException("cannot load the token signing key", e);
        }
        rootCertBundle = dir.resolve("token-root.pem");
        try {
            Files.writeString(
                    rootCertBundle,
                    "-----BEGIN CERTIFICATE-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(certificate.getEncoded())
                            + "\n-----END CERTIFICATE-----\n");
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path rootCertBundle() {
        return rootCertBundle;
    }

    int requests() {
        return requests.get();
    }

    private void token(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = user == null
                ? null
                : "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        boolean authenticated = expected != null && expected.equals(authorization);
        if (authorization != null && !authenticated || user != null && !authenticated) {
            byte[] body = "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
        String scope = "";
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("scope=")) {
                    scope = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
        }
        byte[] body = json.writeValueAsBytes(json.createObjectNode()
                .put("token", issue(scope, authenticated ? user : ""))
                .put("expires_in", 300));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** A token for {@code repository:<name>:<actions>}, signed for docker-registry to accept. */
    String issue(String scope, String subject) throws IOException {
        try {
            ObjectNode header = json.createObjectNode().put("alg", "RS256").put("typ", "JWT");
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
            long now = System.currentTimeMillis() / 1000;
            ObjectNode claims = json.createObjectNode()
                    .put("iss", ISSUER)
                    .put("sub", subject)
                    .put("aud", SERVICE)
                    .put("exp", now + 300)
                    .put("nbf", now - 10)
                    .put("iat", now)
                    .put("jti", UUID.randomUUID().toString());
            ArrayNode access = claims.putArray("access");
            String[] parts = scope.split(":");
            if (parts.length == 3) {
                ObjectNode grant = access.addObject().put("type", parts[0]).put("name", parts[1]);
                for (String action : parts[2].split(",")) {
                    grant.withArray("actions").add(action);
                }
            }
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String signingInput = url.encodeToString(json.writeValueAsBytes(header)) + "."
                    + url.encodeToString(json.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot sign a token", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
