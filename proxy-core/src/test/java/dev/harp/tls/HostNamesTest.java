package dev.harp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {

    @ParameterizedTest
    @CsvSource({
        "Example.TEST, example.test",
        "example.test., example.test",
        "bücher.example, xn--bcher-kva.example",
        "localhost, localhost",
        "my_host.internal, my_host.internal",
        "127.0.0.1, 127.0.0.1",
        "::1, ::1",
        "[::1], ::1",
        "0:0:0:0:0:0:0:1, ::1",
        "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "fe80::1%eth0, fe80::1",
        "::, ::",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "::ffff:10.0.0.1, 10.0.0.1",
    })
    void normalizes(String input, String expected) {
        assertThat(HostNames.normalize(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "exa mple.test", "a..b", "-a.test", "1.2.3", "256.1.1.1", "01.2.3.4",
        "1::2::3", "[::1", "g::1", "host:443", "a/b"})
    void rejectsWhatIsNeitherANameNorAnAddress(String input) {
        assertThatThrownBy(() -> HostNames.normalize(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void ipLiteralsCarryTheirAddressBytes() {
        assertThat(HostNames.parse("127.0.0.1").address).containsExactly(127, 0, 0, 1);
        assertThat(HostNames.parse("[::1]").address).hasSize(16).endsWith(1);
        assertThat(HostNames.parse("example.test").isIpAddress()).isFalse();
    }
}
