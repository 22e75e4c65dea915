package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceNumberTest {

    @Test
    void encodesSmallNumbersLikeTheClassicEightBitLayout() {
        assertThat(new DeviceNumber(1, 3).encode()).isEqualTo(0x103);
        assertThat(new DeviceNumber(8, 1).encode()).isEqualTo(0x801);
    }

    @Test
    void encodesLargeNumbersLikeGlibcMakedev() {
        // glibc: major bits 0-11 at 8-19 and 12-31 at 44-63; minor bits 0-7 at 0-7 and 8-31 at 20-43.
        DeviceNumber device = new DeviceNumber(0x12345, 0xabcdef);

        assertThat(device.encode()).isEqualTo(0x0001_200a_bcd3_45efL);
        assertThat(DeviceNumber.decode(device.encode())).isEqualTo(device);
    }

    @Test
    void decodeInvertsEncodeAcrossTheRange() {
        long[] values = {0, 1, 255, 256, 4095, 4096, 65535, 1 << 20, 0xffff_ffffL};
        for (long major : values) {
            for (long minor : values) {
                DeviceNumber device = new DeviceNumber(major, minor);
                assertThat(DeviceNumber.decode(device.encode())).isEqualTo(device);
            }
        }
    }

    @Test
    void refusesNumbersThatDoNotFitThirtyTwoBits() {
        assertThatThrownBy(() -> new DeviceNumber(1L << 32, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceNumber(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
