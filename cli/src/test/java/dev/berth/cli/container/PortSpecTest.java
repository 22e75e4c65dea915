package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.CliException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortSpecTest {

    @Test
    void parsesDockersPublishForms() {
        assertThat(PortSpec.parse("8080:80")).isEqualTo(new PortSpec("", 8080, 80, "tcp"));
        assertThat(PortSpec.parse("127.0.0.1:8080:80/udp")).isEqualTo(new PortSpec("127.0.0.1", 8080, 80, "udp"));
        assertThat(PortSpec.parse("127.0.0.1::80")).isEqualTo(new PortSpec("127.0.0.1", 0, 80, "tcp"));
        assertThat(PortSpec.parse("80")).isEqualTo(new PortSpec("", 0, 80, "tcp"));
        assertThat(PortSpec.parse("8080:80").display()).isEqualTo("0.0.0.0:8080->80/tcp");
    }

    @Test
    void refusesWhatIsNoPort() {
        assertThatThrownBy(() -> PortSpec.parse("http:80")).isInstanceOf(CliException.class);
        assertThatThrownBy(() -> PortSpec.parse("8080:70000")).isInstanceOf(CliException.class);
        assertThatThrownBy(() -> PortSpec.parse("8080:80/icmp"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("tcp, udp or sctp");
    }

    @Test
    void clashesOnTheSamePortProtocolAndOverlappingAddress() {
        PortSpec any = PortSpec.parse("8080:80");
        assertThat(any.clashesWith(PortSpec.parse("127.0.0.1:8080:81"))).isTrue();
        assertThat(any.clashesWith(PortSpec.parse("8080:80/udp"))).isFalse();
        assertThat(PortSpec.parse("127.0.0.1:8080:80").clashesWith(PortSpec.parse("10.0.0.1:8080:80")))
                .isFalse();
    }

    @Test
    void theAnnotationReadsBackWhatWasWritten() {
        List<PortSpec> ports = List.of(PortSpec.parse("8080:80"), PortSpec.parse("127.0.0.1:5353:53/udp"));
        assertThat(PortSpec.parseAnnotation(PortSpec.toAnnotation(ports))).isEqualTo(ports);
        assertThat(PortSpec.parseAnnotation("")).isEmpty();
    }
}
