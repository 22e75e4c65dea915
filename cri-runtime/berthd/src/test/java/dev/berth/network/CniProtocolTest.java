package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.process.CommandRunner;
import dev.berth.store.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What berthd hands each plugin, seen by recording plugins (shell scripts that log their environment and
 * stdin): the exact CNI environment, per-plugin config with runtimeConfig and prevResult, DEL in reverse.
 */
class CniProtocolTest {

    private static final String RESULT = """
            {"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"%s"}],
             "ips":[{"address":"10.231.7.9/24","interface":0}],"fromPlugin":"%s"}""";

    @TempDir
    Path temp;

    private final Json json = new Json();
    private Path bin;
    private Path log;
    private Path netns;
    private CniNetwork network;
    private final List<String> timed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Path> loUps = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(temp.resolve("bin"));
        log = Files.createDirectories(temp.resolve("log"));
        netns = Files.createFile(temp.resolve("fake-netns"));
        for (String type : List.of("first", "second")) {
            recordingPlugin(type, "ADD");
        }
        Path confDir = Files.createDirectories(temp.resolve("net.d"));
        Files.writeString(confDir.resolve("10-rec.conflist"), """
                {"cniVersion":"1.0.0","name":"rec","plugins":[
                  {"type":"first","flavour":"vanilla"},
                  {"type":"second","capabilities":{"portMappings":true,"bandwidth":true}}]}""");
        network = network(loUps::add);
    }

    private CniNetwork network(PodLoopback loopback) {
        return new CniNetwork(
                new CniSettings(
                        temp.resolve("net.d"),
                        List.of(temp.resolve("none"), bin),
                        temp.resolve("state"),
                        "unused0",
                        "10.231.7.0/24"),
                new CommandRunner(temp.resolve("scratch")),
                loopback,
                (nanos, labels) -> timed.add(String.join("-", labels) + (nanos > 0 ? "" : " (no time)")));
    }

    /** A plugin that logs env and stdin to log/<n>-<type>-<command> and prints a result on ADD. */
    private void recordingPlugin(String type, String printsResultOn) throws IOException {
        Path script = bin.resolve(type);
        Files.writeString(script, """
                #!/bin/sh
                n=$(ls %1$s | wc -l)
                out=%1$s/$(printf %%03d $n)-%2$s-$CNI_COMMAND
                env > $out.env
                cat > $out.json
                if [ "$CNI_COMMAND" = "%3$s" ]; then
                  printf '%%s' '%4$s'
                fi
                """.formatted(
                        log, type, printsResultOn, RESULT.formatted(netns, type).replace("\n", "")));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The network becomes first, then a recording portmap that prints a result on {@code printsResultOn}. */
    private void firstThenPortmap(String printsResultOn) throws IOException {
        recordingPlugin("portmap", printsResultOn);
        Files.writeString(temp.resolve("net.d/10-rec.conflist"), """
                {"cniVersion":"1.0.0","name":"rec","plugins":[
                  {"type":"first"},
                  {"type":"portmap","capabilities":{"portMappings":true}}]}""");
    }

    private List<String> calls() throws IOException {
        try (var files = Files.list(log)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .map(n -> n.substring(4, n.length() - 5))
                    .toList();
        }
    }

    private JsonNode stdin(int call) throws IOException {
        try (var files = Files.list(log)) {
            Path file = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList()
                    .get(call);
            return json.mapper().readTree(Files.readAllBytes(file));
        }
    }

    private Map<String, String> env(int call) throws IOException {
        try (var files = Files.list(log)) {
            Path file = files.filter(f -> f.getFileName().toString().endsWith(".env"))
                    .sorted()
                    .toList()
                    .get(call);
            Map<String, String> env = new TreeMap<>();
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
            env.remove("PWD");
            env.remove("SHLVL");
            env.remove("_");
            return env;
        }
    }

    private PodNetworkRequest pod() {
        return new PodNetworkRequest(
                "pod-7",
                "web-0",
                "shop",
                "uid-7",
                netns,
                List.of(
                        new PortMapping("tcp", 80, 8080, ""),
                        new PortMapping("udp", 53, 0, ""),
                        new PortMapping("sctp", 9, 9009, "127.0.0.1")));
    }

    @Test
    void everyPluginCallIsTimedByItsTypeAndCommand() throws Exception {
        network.setUp(pod());
        network.tearDown(pod());

        assertThat(timed).containsExactlyElementsOf(calls());
    }

    @Test
    void addBringsLoUpThenPassesExactlyTheCniEnvironmentAndChainsPrevResult() throws Exception {
        PodNetworkStatus status = network.setUp(pod());

        assertThat(status).isEqualTo(new PodNetworkStatus("eth0", "10.231.7.9", List.of()));
        assertThat(loUps).containsExactly(netns);
        assertThat(calls()).containsExactly("first-ADD", "second-ADD");
        assertThat(env(0))
                .containsOnlyKeys(
                        "CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH", "PATH")
                .containsEntry("CNI_COMMAND", "ADD")
                .containsEntry("CNI_CONTAINERID", "pod-7")
                .containsEntry("CNI_NETNS", netns.toString())
                .containsEntry("CNI_IFNAME", "eth0")
                .containsEntry(
                        "CNI_ARGS",
                        "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0;"
                                + "K8S_POD_INFRA_CONTAINER_ID=pod-7;K8S_POD_UID=uid-7")
                .containsEntry("CNI_PATH", temp.resolve("none") + ":" + bin);

        JsonNode first = stdin(0);
        assertThat(first.path("name").asText()).isEqualTo("rec");
        assertThat(first.path("cniVersion").asText()).isEqualTo("1.0.0");
        assertThat(first.path("flavour").asText()).isEqualTo("vanilla");
        assertThat(first.has("prevResult")).isFalse();
        assertThat(first.has("runtimeConfig"))
                .as("first declares no capability")
                .isFalse();

        JsonNode second = stdin(1);
        assertThat(second.path("prevResult").path("fromPlugin").asText()).isEqualTo("first");
        assertThat(json.mapper().writeValueAsString(second.path("runtimeConfig")))
                .isEqualTo("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"},"
                        + "{\"hostPort\":9009,\"containerPort\":9,\"protocol\":\"sctp\",\"hostIP\":\"127.0.0.1\"}]}");
    }

    @Test
    void delRunsInReverseWithTheCachedResultAndPortsThenForgetsThePod() throws Exception {
        network.setUp(pod());
        PodNetworkRequest withoutPorts = new PodNetworkRequest("pod-7", "web-0", "shop", "uid-7", netns, List.of());

        network.tearDown(withoutPorts);

        assertThat(calls()).containsExactly("first-ADD", "second-ADD", "second-DEL", "first-DEL");
        for (int call : new int[] {2, 3}) {
            assertThat(stdin(call).path("prevResult").path("fromPlugin").asText())
                    .isEqualTo("second");
            assertThat(env(call)).containsEntry("CNI_COMMAND", "DEL").containsEntry("CNI_NETNS", netns.toString());
        }
        assertThat(stdin(2).path("runtimeConfig").path("portMappings")).hasSize(2);

        network.tearDown(withoutPorts);
        assertThat(calls().subList(4, calls().size()))
                .as("no cache: DEL without prevResult")
                .containsExactly("second-DEL", "first-DEL");
        assertThat(stdin(4).has("prevResult")).isFalse();
    }

    @Test
    void aPodWithoutPortMappingsNeverRunsPortmap() throws Exception {
        firstThenPortmap("none");
        PodNetworkRequest withoutPorts = new PodNetworkRequest("pod-8", "web-1", "shop", "uid-8", netns, List.of());

        PodNetworkStatus status = network.setUp(withoutPorts);
        network.tearDown(withoutPorts);

        assertThat(status.ip()).isEqualTo("10.231.7.9");
        assertThat(calls()).containsExactly("first-ADD", "first-DEL");
    }

    @Test
    void withoutACachedResultEveryPluginGetsItsDelPortmapToo() throws Exception {
        firstThenPortmap("none");

        network.tearDown(new PodNetworkRequest("pod-9", "web-2", "shop", "uid-9", netns, List.of()));

        assertThat(calls()).containsExactly("portmap-DEL", "first-DEL");
    }

    @Test
    void addRunsPortmapForAPodWithPortMappings() throws Exception {
        firstThenPortmap("ADD");

        network.setUp(pod());

        assertThat(calls()).containsExactly("first-ADD", "portmap-ADD");
        assertThat(stdin(1).path("runtimeConfig").path("portMappings")).hasSize(2);
    }

    @Test
    void delOfAGoneNamespacePassesAnEmptyNetns() throws Exception {
        network.setUp(pod());
        Files.delete(netns);

        network.tearDown(pod());

        assertThat(calls().subList(2, calls().size())).containsExactly("second-DEL", "first-DEL");
        assertThat(env(2)).containsEntry("CNI_NETNS", "");
    }

    @Test
    void aLoThatCannotBeBroughtUpFailsTheAddBeforeAnyPluginRuns() throws Exception {
        CniNetwork withoutLo = network(netns -> {
            throw new IOException("netlink set link 1 up: EPERM");
        });

        assertThatThrownBy(() -> withoutLo.setUp(pod()))
                .hasMessage("bringing up lo of pod pod-7 failed: netlink set link 1 up: EPERM");
        assertThat(calls()).isEmpty();
    }

    @Test
    void aFailedAddQuotesTheCniErrorAndRollsBackEveryPlugin() throws Exception {
        Files.writeString(bin.resolve("second"), """
                #!/bin/sh
                n=$(ls %1$s | wc -l)
                out=%1$s/$(printf %%03d $n)-second-$CNI_COMMAND
                env > $out.env
                cat > $out.json
                if [ "$CNI_COMMAND" = "ADD" ]; then
                  echo '{"cniVersion":"1.0.0","code":11,"msg":"no luck","details":"try again"}'
                  exit 1
                fi
                """.formatted(log));

        assertThatThrownBy(() -> network.setUp(pod()))
                .isInstanceOf(CniPluginException.class)
                .hasMessage("CNI plugin second ADD for pod-7 failed (exit 1): code 11: \"no luck\" "
                        + "(details: \"try again\")");

        assertThat(calls()).containsExactly("first-ADD", "second-ADD", "second-DEL", "first-DEL");
        assertThat(temp.resolve("state/results"))
                .satisfiesAnyOf(
                        dir -> assertThat(dir).doesNotExist(),
                        dir -> assertThat(dir).isEmptyDirectory());
    }

    @Test
    void aChainThatPrintsNoResultIsAnErrorAndIsRolledBack() throws Exception {
        recordingPlugin("first", "NEVER");
        recordingPlugin("second", "NEVER");

        assertThatThrownBy(() -> network.setUp(pod()))
                .hasMessageContaining("network rec returned no result for pod pod-7");
        assertThat(calls()).endsWith("second-DEL", "first-DEL");
    }
}
