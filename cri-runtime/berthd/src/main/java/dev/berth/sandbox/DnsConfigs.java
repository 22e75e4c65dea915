package dev.berth.sandbox;

import dev.berth.cri.v1.DNSConfig;
import java.util.List;

/** Refuses DNS settings that would smuggle extra lines into a pod's resolv.conf. */
final class DnsConfigs {

    private DnsConfigs() {}

    static void validate(DNSConfig dns) {
        check("server", dns.getServersList());
        check("search", dns.getSearchesList());
        check("option", dns.getOptionsList());
    }

    private static void check(String kind, List<String> values) {
        for (String value : values) {
            if (value.isBlank()
                    || value.chars().anyMatch(c -> c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == 0)) {
                throw new IllegalArgumentException("DNS " + kind + " \"" + value.strip() + "\" must be one word");
            }
        }
    }
}
