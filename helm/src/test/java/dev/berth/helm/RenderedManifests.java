package dev.berth.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The documents of one helm template run, as Jackson trees. */
record RenderedManifests(List<JsonNode> documents) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static RenderedManifests parse(String multiDocumentYaml) {
        var documents = new ArrayList<JsonNode>();
        try (var parser = YAML.createParser(multiDocumentYaml)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                var document = it.next();
                // Templates switched off by a value render as empty documents.
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template rendered invalid YAML:\n" + multiDocumentYaml, e);
        }
        return new RenderedManifests(List.copyOf(documents));
    }

    List<JsonNode> ofKind(String kind) {
        return documents.stream()
                .filter(d -> kind.equals(d.path("kind").asText()))
                .toList();
    }

    JsonNode single(String kind) {
        var found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + kind + ", rendered " + found.size() + ": " + found);
        }
        return found.getFirst();
    }

    JsonNode named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(d -> name.equals(d.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " among " + kinds()));
    }

    List<String> kinds() {
        return documents.stream()
                .map(d -> d.path("kind").asText() + "/"
                        + d.path("metadata").path("name").asText())
                .toList();
    }
}
