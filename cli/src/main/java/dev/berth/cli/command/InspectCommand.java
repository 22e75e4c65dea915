package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.CliLabels;
import dev.berth.cli.container.Containers;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.ContainerStatusResponse;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ImageStatusResponse;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.PodSandboxStatusResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class InspectCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Berth berth;
    private List<String> refs;

    public InspectCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(
                        this,
                        "inspect",
                        "Show containers, pods or images as JSON (the runtime's verbose status of each)")
                .positionals("0..*", "1..*", "NAME|ID", "", v -> refs = v)
                .spec();
    }

    @Override
    public Integer call() throws IOException {
        ArrayNode result = JSON.createArrayNode();
        int code = 0;
        try (Cri cri = berth.connect()) {
            Containers containers = new Containers(cri);
            for (String ref : refs) {
                Optional<CliContainer> container = containers.lookup(ref);
                if (container.isPresent()) {
                    result.add(container(cri, container.get()));
                    continue;
                }
                Optional<ImageInfo> image = ImageInfo.find(cri, ref);
                if (image.isPresent()) {
                    result.add(image(cri, image.get()));
                    continue;
                }
                System.err.println("berth: No such object: " + ref);
                code = 1;
            }
        }
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        return code;
    }

    private ObjectNode container(Cri cri, CliContainer container) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("Id", container.id());
        node.put("Name", container.name());
        node.put("Managed", container.managed());
        node.put(
                "RestartCount",
                container
                        .status()
                        .map(s -> s.getAnnotationsOrDefault(CliLabels.RESTART_COUNT, "0"))
                        .map(Integer::parseInt)
                        .orElse(0));
        if (container.containerId().isPresent()) {
            String id = container.containerId().get();
            try {
                ContainerStatusResponse status = cri.runtime()
                        .containerStatus(ContainerStatusRequest.newBuilder()
                                .setContainerId(id)
                                .setVerbose(true)
                                .build());
                node.set("Container", withInfo(status.getStatus(), status.getInfoMap()));
            } catch (StatusRuntimeException e) {
                // a restart policy may replace the container between the lookup and this call: what the lookup
                // read stands, without the runtime's verbose info
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND
                        || container.status().isEmpty()) {
                    throw cri.failure("status of container " + id, e);
                }
                node.set("Container", withInfo(container.status().get(), java.util.Map.of()));
            }
        }
        PodSandboxStatusResponse pod = cri.call(
                "status of pod " + container.pod().getId(),
                () -> cri.runtime()
                        .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                .setPodSandboxId(container.pod().getId())
                                .setVerbose(true)
                                .build()));
        node.set("PodSandbox", withInfo(pod.getStatus(), pod.getInfoMap()));
        return node;
    }

    private ObjectNode image(Cri cri, ImageInfo info) throws IOException {
        ImageStatusResponse status = cri.call(
                "status of image " + info.image().getId(),
                () -> cri.images()
                        .imageStatus(ImageStatusRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder()
                                        .setImage(info.image().getId()))
                                .setVerbose(true)
                                .build()));
        ObjectNode node = JSON.createObjectNode();
        node.put("Id", info.image().getId());
        node.set("Image", withInfo(status.getImage(), status.getInfoMap()));
        return node;
    }

    private static JsonNode tree(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    /** The status as protobuf's JSON, with the runtime's verbose info beside it (parsed where it is JSON). */
    private static ObjectNode withInfo(MessageOrBuilder status, Map<String, String> info) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        try {
            node.set("status", JSON.readTree(JsonFormat.printer().print(status)));
        } catch (InvalidProtocolBufferException e) {
            throw new CliException("cannot print the status as JSON: " + e.getMessage());
        }
        ObjectNode infoNode = node.putObject("info");
        info.forEach((key, value) -> {
            JsonNode parsed = tree(value);
            if (parsed != null && (parsed.isObject() || parsed.isArray())) {
                infoNode.set(key, parsed);
            } else {
                infoNode.put(key, value);
            }
        });
        return node;
    }
}
