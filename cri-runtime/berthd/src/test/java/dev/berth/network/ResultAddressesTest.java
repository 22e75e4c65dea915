package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.store.Json;
import org.junit.jupiter.api.Test;

class ResultAddressesTest {

    private final Json json = new Json();

    private PodNetworkStatus status(String result) throws Exception {
        return ResultAddresses.status(json.mapper().readTree(result), "eth0");
    }

    @Test
    void takesThePodInterfacesAddressesIpv4FirstAndIgnoresTheHostSide() throws Exception {
        PodNetworkStatus status = status("""
                {"cniVersion":"1.0.0",
                 "interfaces":[{"name":"cni0"},{"name":"veth1"},{"name":"eth0","sandbox":"/run/netns/p"}],
                 "ips":[{"address":"fd00::5/64","interface":2},{"address":"10.88.0.5/16","interface":2},
                        {"address":"10.99.0.1/24","interface":0}]}""");

        assertThat(status).isEqualTo(new PodNetworkStatus("eth0", "10.88.0.5", java.util.List.of("fd00::5")));
    }

    @Test
    void readsOldResultsWithoutInterfaceIndexes() throws Exception {
        assertThat(status("""
                {"cniVersion":"0.2.0","ip4":{"ip":"10.1.2.3/24"}}""").ip()).isEqualTo("10.1.2.3");
        assertThat(status("""
                {"cniVersion":"0.3.1","ips":[{"version":"4","address":"10.1.2.4/24"}]}""").ip()).isEqualTo("10.1.2.4");
    }

    @Test
    void aResultWithoutAddressesIsAnError() {
        assertThatThrownBy(() -> status("""
                {"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/x"}],"ips":[]}""")).hasMessageContaining("assigns no IP address to eth0");
    }
}
