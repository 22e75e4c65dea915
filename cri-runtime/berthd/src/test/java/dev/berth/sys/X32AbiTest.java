package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class X32AbiTest {

    private static final Path KERNEL_CONFIG = Path.of("/proc/config.gz");

    @Test
    void theProbeFindsX32OnlyWhereTheKernelIsBuiltWithIt() throws IOException {
        Privileges.onlyWhere(System.getProperty("os.arch").equals("amd64"), "x32 is an x86_64 ABI");
        Privileges.require(
                Files.isReadable(KERNEL_CONFIG), "no /proc/config.gz: the kernel does not say how it was built");
        String config;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(KERNEL_CONFIG))) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        boolean built = config.lines().anyMatch(line -> line.equals("CONFIG_X86_X32_ABI=y"));
        boolean turnedOff = Files.readString(Path.of("/proc/cmdline")).contains("syscall.x32=n");

        assertThat(X32Abi.supported(false)).isEqualTo(built && !turnedOff);
    }

    @Test
    void underASeccompFilterOfItsOwnBerthdKeepsX32CoveredWithoutProbing() {
        assertThat(X32Abi.supported(true)).isTrue();
    }
}
