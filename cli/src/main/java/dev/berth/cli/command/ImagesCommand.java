package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Table;
import dev.berth.cli.format.Template;
import dev.berth.cli.format.Units;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cli.image.ImageRef;
import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ListImagesRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class ImagesCommand implements Callable<Integer> {

    private static final List<String> FIELDS =
            List.of("Repository", "Tag", "Digest", "ID", "CreatedSince", "CreatedAt", "Size");

    private final Berth berth;
    private boolean all;
    private boolean quiet;
    private boolean digests;
    private boolean noTrunc;
    private String format;

    public ImagesCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "images", "List images")
                .flag(
                        "-a,--all",
                        "Show all images (the runtime keeps no intermediate ones: the same list)",
                        v -> all = v)
                .flag("-q,--quiet", "Only show image IDs", v -> quiet = v)
                .flag("--digests", "Show digests", v -> digests = v)
                .flag("--no-trunc", "Show whole image IDs", v -> noTrunc = v)
                .option("--format", "FORMAT", "json, or a template: '{{.Repository}}:{{.Tag}}'", v -> format = v)
                .spec();
    }

    @Override
    public Integer call() {
        try (Cri cri = berth.connect()) {
            List<Image> images = cri.call(
                            "list images", () -> cri.images().listImages(ListImagesRequest.getDefaultInstance()))
                    .getImagesList();
            long now = System.currentTimeMillis();
            List<Map<String, String>> rows = new ArrayList<>();
            for (Image image : images) {
                ImageInfo info = ImageInfo.find(cri, image.getId()).orElse(new ImageInfo(image, java.util.Map.of()));
                List<String> tags =
                        image.getRepoTagsList().isEmpty() ? List.of("<none>:<none>") : image.getRepoTagsList();
                for (String repoTag : tags) {
                    String[] repositoryAndTag = repoTag.equals("<none>:<none>")
                            ? new String[] {"<none>", "<none>"}
                            : ImageRef.repositoryAndTag(repoTag);
                    Map<String, String> row = new LinkedHashMap<>();
                    row.put("Repository", repositoryAndTag[0]);
                    row.put("Tag", repositoryAndTag[1]);
                    row.put("Digest", digest(image, repositoryAndTag[0]));
                    row.put("ID", noTrunc ? image.getId() : ImageInfo.shortId(image.getId()));
                    row.put(
                            "CreatedSince",
                            info.created()
                                    .map(created -> Units.ago(created.toEpochMilli() * 1_000_000, now))
                                    .orElse("N/A"));
                    row.put("CreatedAt", info.created().map(Object::toString).orElse(""));
                    row.put("Size", Units.size(image.getSize()));
                    rows.add(row);
                }
            }
            if (quiet) {
                Set<String> ids = new LinkedHashSet<>();
                rows.forEach(row -> ids.add(row.get("ID")));
                ids.forEach(System.out::println);
            } else if (format != null) {
                Template.parse(format).print(System.out, FIELDS, rows);
            } else {
                table(rows).print(System.out);
            }
            return 0;
        }
    }

    private Table table(List<Map<String, String>> rows) {
        Table table = digests
                ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
                : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        for (Map<String, String> row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.get("Repository"), row.get("Tag")));
            if (digests) {
                cells.add(row.get("Digest"));
            }
            cells.addAll(List.of(row.get("ID"), row.get("CreatedSince"), row.get("Size")));
            table.row(cells.toArray(String[]::new));
        }
        return table;
    }

    private static String digest(Image image, String repository) {
        return image.getRepoDigestsList().stream()
                .filter(d -> ImageRef.parse(d).repository().equals(repository))
                .map(d -> ImageRef.parse(d).digest())
                .findFirst()
                .orElse("<none>");
    }
}
