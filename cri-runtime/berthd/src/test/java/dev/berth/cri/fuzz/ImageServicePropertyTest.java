package dev.berth.cri.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.fuzz.CriCalls.Answer;
import dev.berth.cri.fuzz.FuzzRun.Fuzzed;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated and mutated requests at every ImageService RPC over berthd's real socket: pulls of bad references,
 * with bad credentials (also against a registry behind Basic auth), from loopback ports where nothing listens or
 * where a listener never answers; image status, list filters, removal and file system info. Each answer is OK or
 * a precise code; berthd stays up and within its memory. References only ever name 127.0.0.1 or localhost.
 */
class ImageServicePropertyTest {

    private static final List<String> QUERIES =
            List.of("ListImages", "StreamImages", "ImageStatus", "RemoveImage", "ImageFsInfo");

    private static FuzzRun run;
    private static FuzzBudget budget;
    private static RegistryFixture locked;
    private static String lockedImage;
    private static int closedPort;
    private static ServerSocket silent;

    @BeforeAll
    static void start() throws Exception {
        budget = FuzzBudget.fromSystemProperties("ImageService");
        run = new FuzzRun(FuzzNode.start("berthfuzzimg"));
        locked = RegistryFixture.startWithBasicAuth("fuzz", "s3cret");
        lockedImage = new ImagePusher(locked)
                .pushImage(
                        "locked/app",
                        "1",
                        TestImage.builder()
                                .layer(TestLayer.random(1024, 2, 7, TestLayer.Compression.GZIP))
                                .build())
                .reference();
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        // accepts connections and never answers: the pull's progress timeout (2 s) must end it
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        run.takeBaseline();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (silent != null) {
                silent.close();
            }
            if (locked != null) {
                locked.close();
            }
        } finally {
            if (run != null) {
                run.close();
            }
        }
    }

    @Test
    void everyImageServiceRpcIsFuzzed() {
        Set<String> fuzzed = new HashSet<>(QUERIES);
        fuzzed.add("PullImage");
        assertThat(fuzzed).containsExactlyInAnyOrderElementsOf(CriCalls.imageRpcs());
    }

    /**
     * References that name only loopback: the fuzz registry with bad names, tags and digests; the Basic-auth
     * registry; a port where nothing listens, one that never answers, and ports that are no ports.
     */
    private static Gen<String> references() {
        Hostile hostile = new Hostile(run.requests()::ids);
        String registry = run.node().registryHostPort();
        return Gen.frequency(
                Gen.weight(3, hostile.strings().map(s -> registry + "/" + s)),
                Gen.weight(2, hostile.strings().map(s -> registry + "/fuzz/busybox:" + s)),
                Gen.weight(2, hostile.strings().map(s -> registry + "/fuzz/busybox@" + s)),
                Gen.weight(
                        2,
                        Gen.of(
                                registry + "/fuzz/busybox@sha256:" + "0".repeat(64),
                                registry + "/fuzz/busybox@sha256:" + "0".repeat(63),
                                registry + "/fuzz/busybox@sha512:" + "0".repeat(128),
                                registry + "/fuzz/busybox@md5:" + "0".repeat(32),
                                registry + "/fuzz/busybox:1@sha256:" + "f".repeat(64),
                                registry + "/fuzz/nothere:1",
                                registry + "/FUZZ/BUSYBOX:1",
                                registry + "//fuzz/busybox:1",
                                registry + "/fuzz/busybox:" + "t".repeat(129),
                                run.node().busybox(),
                                lockedImage,
                                "localhost:" + closedPort + "/a:1",
                                "127.0.0.1:" + closedPort + "/a:1",
                                "127.0.0.1:" + silent.getLocalPort() + "/a:1",
                                "127.0.0.1:0/a:1",
                                "127.0.0.1:65536/a:1",
                                "127.0.0.1:99999999999/a:1",
                                "127.0.0.1:-1/a:1",
                                "127.0.0.1:/a:1",
                                "127.0.0.1:abc/a:1",
                                "[::1]:" + closedPort + "/a:1")),
                Gen.weight(1, hostile.strings().map(s -> "127.0.0.1:" + closedPort + "/" + s)));
    }

    @Test
    void imageQueriesAnswerPrecisely() {
        Gen<Fuzzed> queries = run.of(QUERIES);
        budget.check(
                "imageQueriesAnswerPrecisely",
                150,
                random -> {
                    Fuzzed fuzzed = queries.next(random);
                    Answer answer = run.send(fuzzed, run.request(fuzzed));
                    if (fuzzed.rpc().equals("RemoveImage") && answer.ok()) {
                        run.node().pullBusybox();
                    }
                },
                run::assertPrecise);
    }

    /** Pulls with mutated auth, sandbox config and annotations, of a generated loopback reference. */
    @Test
    void pullsAnswerPrecisely() {
        Gen<Fuzzed> pulls = run.of(List.of("PullImage"));
        Gen<String> references = references();
        budget.check(
                "pullsAnswerPrecisely",
                40,
                random -> {
                    Fuzzed fuzzed = pulls.next(random);
                    String reference = references.next(random);
                    PullImageRequest request = ((PullImageRequest) run.request(fuzzed))
                            .toBuilder()
                                    .setImage(ImageSpec.newBuilder().setImage(reference))
                                    .build();
                    run.send(
                            "PullImage",
                            "image=" + Show.value(reference) + " " + fuzzed.input(),
                            request,
                            FuzzNode.CALL_DEADLINE_MILLIS);
                },
                run::assertPrecise);
    }

    /** The Basic-auth registry answers a pull without or with wrong credentials UNAUTHENTICATED, and berthd says so. */
    @Test
    void pullsWithBadCredentialsAreUnauthenticated() {
        Gen<Fuzzed> pulls = run.of(List.of("PullImage"));
        budget.check(
                "pullsWithBadCredentialsAreUnauthenticated",
                5,
                random -> {
                    Fuzzed fuzzed = pulls.next(random);
                    PullImageRequest request = ((PullImageRequest) run.request(fuzzed))
                            .toBuilder()
                                    .setImage(ImageSpec.newBuilder().setImage(lockedImage))
                                    .build();
                    Answer answer = run.send(
                            "PullImage", "image=locked " + fuzzed.input(), request, FuzzNode.CALL_DEADLINE_MILLIS);
                    if (!request.getAuth().getPassword().equals("s3cret")) {
                        assertThat(answer.code()).as(fuzzed.input()).isNotEqualTo(io.grpc.Status.Code.OK);
                    }
                },
                run::assertPrecise);
    }
}
