package dev.berth.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.v1.LayerProgress;
import dev.berth.api.v1.LayerState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {

    private static final String A = "sha256:" + "a".repeat(12) + "0".repeat(52);
    private static final String B = "sha256:" + "b".repeat(12) + "0".repeat(52);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static LayerProgress layer(String digest, LayerState state, long done, long total) {
        return LayerProgress.newBuilder()
                .setDigest(digest)
                .setState(state)
                .setDownloadedBytes(done)
                .setTotalBytes(total)
                .build();
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void newLayersGetALineEachAndChangesRewriteTheirLineInPlace() {
        TerminalProgress display = new TerminalProgress(out, 200);

        display.layer(layer(A, LayerState.DOWNLOADING, 1_200_000, 4_300_000));
        display.layer(layer(B, LayerState.ALREADY_EXISTS, 100, 100));
        display.layer(layer(A, LayerState.COMPLETE, 4_300_000, 4_300_000));

        assertThat(output())
                .isEqualTo("aaaaaaaaaaaa: Downloading [" + "=".repeat(13) + ">" + " ".repeat(36) + "]    1.2MB/4.3MB\n"
                        + "bbbbbbbbbbbb: Already exists\n"
                        // two lines up to A's, erase it, write, back down two
                        + "\u001b[2A\r\u001b[2Kaaaaaaaaaaaa: Pull complete\r\u001b[2B");
    }

    @Test
    void anUnchangedLineIsNotRedrawn() {
        TerminalProgress display = new TerminalProgress(out, 200);
        display.layer(layer(A, LayerState.WAITING, 0, 10));
        int before = output().length();

        display.layer(layer(A, LayerState.WAITING, 0, 10));

        assertThat(output()).hasSize(before);
    }

    @Test
    void aNarrowTerminalGetsTheNumbersWithoutTheBar() {
        TerminalProgress display = new TerminalProgress(out, 80);

        display.layer(layer(A, LayerState.DOWNLOADING, 812, 4_300_000));

        assertThat(output()).isEqualTo("aaaaaaaaaaaa: Downloading     812B/4.3MB\n");
    }

    @Test
    void theBarFillsAsBytesComeIn() {
        assertThat(TerminalProgress.bar(0, 100)).isEqualTo("[>" + " ".repeat(49) + "]");
        assertThat(TerminalProgress.bar(50, 100)).isEqualTo("[" + "=".repeat(25) + ">" + " ".repeat(24) + "]");
        assertThat(TerminalProgress.bar(100, 100)).isEqualTo("[" + "=".repeat(50) + "]");
    }

    @Test
    void plainOutputIsALinePerStateChange() {
        PlainProgress display = new PlainProgress(out);

        display.layer(layer(A, LayerState.WAITING, 0, 10));
        display.layer(layer(A, LayerState.DOWNLOADING, 1, 10));
        display.layer(layer(A, LayerState.DOWNLOADING, 5, 10));
        display.layer(layer(A, LayerState.COMPLETE, 10, 10));

        assertThat(output())
                .isEqualTo("aaaaaaaaaaaa: Waiting\naaaaaaaaaaaa: Downloading\naaaaaaaaaaaa: Pull complete\n");
    }
}
