package dev.berth.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.daemon.BerthConfig;
import dev.berth.daemon.ConfigLoader;
import dev.berth.network.CniSettings;
import dev.berth.streaming.StreamingSettings;
import dev.berth.testkit.cri.BerthdProcess;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the package ships, checked against the code it ships: berth.yaml's keys, the launcher's JVM flags. */
class DebContentsTest {

    /** A commented-out key: {@code #key:} at the top, {@code #  key:} two spaces deeper per level. */
    private static final Pattern COMMENTED_KEY = Pattern.compile("^#((?:  )*)([a-z][\\w.-]*):(.*)$");

    private static final Path DEB = Path.of("src/deb");

    @TempDir
    Path dir;

    @Test
    void berthYamlShowsEveryKeyOfBerthConfig() throws Exception {
        String shipped = Files.readString(DEB.resolve("etc/berth.yaml"));
        Set<String> commentedKeys = new LinkedHashSet<>();
        shipped.lines()
                .map(COMMENTED_KEY::matcher)
                .filter(Matcher::matches)
                .forEach(m -> commentedKeys.add(m.group(2)));

        assertThat(commentedKeys).containsAll(keysOf(BerthConfig.class));
    }

    @Test
    void berthYamlAsShippedIsTheDefaultsAndUncommentedStillParsesToThem() throws Exception {
        String shipped = Files.readString(DEB.resolve("etc/berth.yaml"));
        Path asShipped = Files.writeString(dir.resolve("shipped.yaml"), shipped);
        StringBuilder uncommented = new StringBuilder();
        shipped.lines().forEach(line -> {
            Matcher key = COMMENTED_KEY.matcher(line);
            uncommented
                    .append(key.matches() ? key.group(1) + key.group(2) + ":" + key.group(3) : line)
                    .append('\n');
        });
        Path enabled = Files.writeString(dir.resolve("uncommented.yaml"), uncommented);

        assertThat(new ConfigLoader().load(asShipped, true)).isEqualTo(BerthConfig.defaults());
        // every key is spelled as berthd reads it (unknown keys fail) and the values shown are the defaults
        BerthConfig config = new ConfigLoader().load(enabled, true);
        BerthConfig defaults = BerthConfig.defaults();
        assertThat(config.rootDir()).isEqualTo(defaults.rootDir());
        assertThat(config.stateDir()).isEqualTo(defaults.stateDir());
        assertThat(config.socketPath()).isEqualTo(defaults.socketPath());
        assertThat(config.imagesOrDefault().maxConcurrentDownloadsOrDefault())
                .isEqualTo(defaults.imagesOrDefault().maxConcurrentDownloadsOrDefault());
        assertThat(config.imagesOrDefault().pullProgressTimeoutOrDefault())
                .isEqualTo(defaults.imagesOrDefault().pullProgressTimeoutOrDefault());
        CniSettings cni = CniSettings.defaults(defaults.stateDir());
        BerthConfig.Network network = config.networkOrDefault();
        assertThat(Path.of(network.confDir())).isEqualTo(cni.confDir());
        assertThat(network.pluginDirs().stream().map(Path::of).toList()).isEqualTo(cni.pluginDirs());
        assertThat(network.bridge()).isEqualTo(cni.defaultBridge());
        assertThat(network.subnet()).isEqualTo(cni.defaultSubnet());
        StreamingSettings streaming = config.streamingSettings();
        StreamingSettings loopback = StreamingSettings.loopback();
        assertThat(streaming.address()).isEqualTo(loopback.address());
        assertThat(streaming.port()).isEqualTo(loopback.port());
        assertThat(streaming.idleTimeout()).isEqualTo(loopback.idleTimeout());
        assertThat(streaming.streamCreationTimeout()).isEqualTo(loopback.streamCreationTimeout());
        assertThat(config.securityOrDefault().seccompWhenUnsetOrDefault())
                .isEqualTo(defaults.securityOrDefault().seccompWhenUnsetOrDefault());
    }

    @Test
    void berthdLauncherRunsTheJvmFlagsTheTestsUse() throws Exception {
        String launcher = Files.readString(DEB.resolve("usr-bin/berthd"));
        String javaCommand = launcher.substring(launcher.indexOf("exec \"$BERTH_JAVA\""), launcher.indexOf("-jar"));

        for (String flag : BerthdProcess.LAUNCHER_JVM_FLAGS) {
            // a flag only some JDKs take is set in a variable the command expands
            String conditional = "trim_flag=\"" + flag + "\"";
            assertThat(javaCommand.contains(" " + flag) || launcher.contains(conditional))
                    .as("/usr/bin/berthd's java command has " + flag)
                    .isTrue();
        }
    }

    /** The YAML keys of a config record: its components and, below them, those of records and map values. */
    private static Set<String> keysOf(Class<?> record) {
        Set<String> keys = new LinkedHashSet<>();
        for (RecordComponent component : record.getRecordComponents()) {
            // Jackson puts a record component's @JsonProperty on its accessor
            JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
            keys.add(renamed == null ? component.getName() : renamed.value());
            Class<?> nested = configRecord(component.getGenericType());
            if (nested != null) {
                keys.addAll(keysOf(nested));
            }
        }
        return keys;
    }

    private static Class<?> configRecord(Type type) {
        if (type instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            return configRecord(p.getActualTypeArguments()[1]);
        }
        return null;
    }
}
