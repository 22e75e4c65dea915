package dev.berth.cri.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.berth.cri.fuzz.CriCalls.Answer;
import dev.berth.cri.fuzz.Mutations.Mutation;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fuzz test class's run: its node, the valid requests, the mutations and the ledger; sends a mutated request,
 * records the answer, checks every {@value #BATCH} calls that berthd still serves, and at the end that its memory,
 * threads and log stayed bounded and nothing of its pods is left.
 */
final class FuzzRun implements AutoCloseable {

    static final int BATCH = 100;

    /**
     * berthd's resident set after a full GC stays within what its launcher gives it: heap, metaspace and code cache
     * are capped at 256 + 96 + 32 MiB (the -Xmx, -XX:MaxMetaspaceSize and -XX:ReservedCodeCacheSize of {@code
     * ./berth daemon}), and 128 MiB more holds thread stacks, Netty's buffers and malloc's arenas. A bound on the
     * growth alone does not work: a default run's growth (measured ~+200 MiB) is the same after 780 requests as
     * after 2,700, the heap and arenas growing to their working size once, not a leak that scales with requests.
     */
    static final long RSS_BOUND = 512L << 20;

    /** A thread a request leaves behind (a pump, a timer) would show over thousands of requests. */
    static final int THREAD_GROWTH_BOUND = 64;

    /** berthd logs each refused request on one line, never the whole hostile value: 10 KiB a request on average. */
    static final long LOG_BYTES_PER_CALL = 10 * 1024;

    record Fuzzed(String rpc, List<Mutation> mutations) {

        String input() {
            return mutations.isEmpty() ? "(valid request)" : mutations.toString();
        }
    }

    /**
     * protobuf-java logs each lone surrogate it encodes as '?' with a stack trace: a mutated map of 100k such
     * strings took the fuzz's own client past the call's deadline, a hang that was not berthd's. Held here, as the
     * logging framework keeps loggers only weakly.
     */
    private final java.util.logging.Logger protobufEncoder =
            java.util.logging.Logger.getLogger("com.google.protobuf.CodedOutputStream");

    private final FuzzNode node;
    private final ValidRequests requests;
    private final Mutations mutations;
    private final CriCalls calls;
    private final Ledger ledger = new Ledger();
    private final AtomicLong sent = new AtomicLong();
    private final List<Ledger.Finding> allFindings = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long rssBaseline;
    private int threadsBaseline;
    private long logBaseline;

    FuzzRun(FuzzNode node) {
        protobufEncoder.setLevel(java.util.logging.Level.OFF);
        this.node = node;
        this.requests = new ValidRequests(node);
        this.mutations = new Mutations(new Hostile(requests::ids), requests::confine);
        this.calls = new CriCalls(node.channel());
    }

    FuzzNode node() {
        return node;
    }

    ValidRequests requests() {
        return requests;
    }

    Ledger ledger() {
        return ledger;
    }

    /** A request of one of {@code rpcs}, with zero to three mutations. */
    Gen<Fuzzed> of(List<String> rpcs) {
        return Gen.of(rpcs)
                .flatMap(rpc -> Gen.<List<Mutation>>frequency(
                                Gen.weight(1, Gen.just(List.<Mutation>of())),
                                Gen.weight(9, mutations.of(requests.of(rpc).getDescriptorForType())))
                        .map(m -> new Fuzzed(rpc, m)));
    }

    Message request(Fuzzed fuzzed) {
        return mutations.apply(requests.of(fuzzed.rpc()), fuzzed.mutations());
    }

    /** Sends {@code request} as {@code fuzzed.rpc()}, records the answer, and checks berthd every batch. */
    Answer send(Fuzzed fuzzed, Message request) {
        return send(fuzzed.rpc(), fuzzed.input(), request, FuzzNode.CALL_DEADLINE_MILLIS);
    }

    Answer send(String rpc, String input, Message request, long deadlineMillis) {
        Answer answer = calls.call(rpc, request, deadlineMillis);
        if (rpc.equals("GetContainerEvents")
                && answer.code() == io.grpc.Status.Code.DEADLINE_EXCEEDED
                && answer.millis() >= deadlineMillis - 50) {
            // an event stream is open until its client leaves: the end at the client's deadline is its answer
            answer = new Answer(io.grpc.Status.Code.OK, "", answer.millis(), answer.response());
        }
        ledger.record(rpc, input, answer, deadlineMillis);
        if (sent.incrementAndGet() % BATCH == 0) {
            node.assertServing();
        }
        return answer;
    }

    /** After the warm-up: the resident set, threads and log size the end is compared with. */
    void takeBaseline() throws Exception {
        rssBaseline = node.rssAfterGcBytes();
        threadsBaseline = node.threads();
        logBaseline = node.logBytes();
    }

    /** Fails with every imprecise answer since the last check, folded into classes. */
    void assertPrecise() {
        List<Ledger.Finding> found = ledger.drain();
        allFindings.addAll(found);
        node.assertServing();
        assertThat(found)
                .as(
                        "imprecise answers (INTERNAL, UNKNOWN, hangs…), by class:%n%s%nper RPC so far:%n%s",
                        Ledger.report(found), ledger.table())
                .isEmpty();
    }

    /**
     * berthd's memory, threads and log after the run against the baseline; then, whatever those show, every pod
     * is removed and the host checked for leaks (a pod left running would outlive berthd under conmon).
     */
    @Override
    public void close() throws Exception {
        try {
            long rss = node.rssAfterGcBytes();
            int threads = node.threads();
            long log = node.logBytes();
            System.out.printf(
                    "fuzz: %d requests; berthd RSS after GC %d → %d MiB, threads %d → %d, log +%d KiB%n%s%d classes"
                            + " of imprecise answers:%n%s%n",
                    sent.get(),
                    rssBaseline >> 20,
                    rss >> 20,
                    threadsBaseline,
                    threads,
                    (log - logBaseline) >> 10,
                    ledger.table(),
                    allFindings.size(),
                    Ledger.report(allFindings));
            try {
                node.removeEverythingAndCheckForLeaks();
            } finally {
                assertThat(rss).as("berthd's RSS after a full GC").isLessThan(RSS_BOUND);
                assertThat(threads - threadsBaseline)
                        .as("berthd's thread growth")
                        .isLessThan(THREAD_GROWTH_BOUND);
                assertThat(log - logBaseline)
                        .as("berthd's log growth over %d requests", sent.get())
                        .isLessThan(Math.max(1, sent.get()) * LOG_BYTES_PER_CALL);
            }
        } finally {
            node.close();
        }
    }
}
