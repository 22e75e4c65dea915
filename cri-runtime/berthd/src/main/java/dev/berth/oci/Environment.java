package dev.berth.oci;

import dev.berth.cri.v1.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process environment: a default PATH, then the image's variables, then the pod's, later ones winning by key. */
final class Environment {

    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Map<String, String> entries = new LinkedHashMap<>();

    Environment() {
        set(DEFAULT_PATH);
    }

    /** Replaces a variable in place (so the order stays the image's) or appends it. */
    Environment set(String entry) {
        int eq = entry.indexOf('=');
        String key = eq < 0 ? entry : entry.substring(0, eq);
        entries.put(key, entry);
        return this;
    }

    Environment setAll(List<String> list) {
        list.forEach(this::set);
        return this;
    }

    Environment setAllKeyValues(List<KeyValue> list) {
        for (KeyValue kv : list) {
            set(kv.getKey() + "=" + kv.getValue());
        }
        return this;
    }

    List<String> toList() {
        return new ArrayList<>(entries.values());
    }
}
