package dev.berth.cli.command;

import dev.berth.api.v1.HistoryEntry;
import dev.berth.api.v1.HistoryRequest;
import dev.berth.api.v1.HistoryResponse;
import dev.berth.cli.Berth;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Table;
import dev.berth.cli.format.Template;
import dev.berth.cli.format.Units;
import dev.berth.cli.image.ImageInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docker history's table: the image's ID on its newest row and {@code <missing>} on the others (a pulled image
 * has no IDs for its build steps), CREATED BY cut to 45 characters unless {@code --no-trunc}.
 */
public final class HistoryCommand implements Callable<Integer> {

    private static final List<String> FIELDS =
            List.of("ID", "CreatedSince", "CreatedAt", "CreatedBy", "Size", "Comment");
    private static final int CREATED_BY_WIDTH = 45;

    private final Berth berth;
    private boolean noTrunc;
    private boolean quiet;
    private String format;
    private String image;

    public HistoryCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "history", "Show the history of an image")
                .flag("--no-trunc", "Show whole image IDs and commands", v -> noTrunc = v)
                .flag("-q,--quiet", "Only show image IDs", v -> quiet = v)
                .option("--format", "FORMAT", "json, or a template: '{{.CreatedBy}}'", v -> format = v)
                .positional("0", "IMAGE", "Image ID, ID prefix or name", v -> image = v)
                .spec();
    }

    @Override
    public Integer call() {
        try (Cri cri = berth.connect()) {
            HistoryResponse history = cri.call(
                    "history " + image,
                    () -> cri.berthImages()
                            .history(HistoryRequest.newBuilder().setImage(image).build()));
            long now = System.currentTimeMillis();
            List<Map<String, String>> rows = new ArrayList<>();
            for (int i = 0; i < history.getEntriesCount(); i++) {
                HistoryEntry entry = history.getEntries(i);
                String id =
                        i > 0 ? "<missing>" : noTrunc ? history.getImageId() : ImageInfo.shortId(history.getImageId());
                Map<String, String> row = new LinkedHashMap<>();
                row.put("ID", id);
                row.put("CreatedSince", entry.getCreated() == 0 ? "N/A" : Units.ago(entry.getCreated(), now));
                row.put(
                        "CreatedAt",
                        entry.getCreated() == 0
                                ? ""
                                : Instant.ofEpochSecond(0, entry.getCreated()).toString());
                row.put("CreatedBy", createdBy(entry.getCreatedBy()));
                row.put("Size", Units.size(entry.getSize()));
                row.put("Comment", entry.getComment());
                rows.add(row);
            }
            if (quiet) {
                rows.forEach(row -> System.out.println(row.get("ID")));
            } else if (format != null) {
                Template.parse(format).print(System.out, FIELDS, rows);
            } else {
                Table table = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
                rows.forEach(row -> table.row(
                        row.get("ID"),
                        row.get("CreatedSince"),
                        row.get("CreatedBy"),
                        row.get("Size"),
                        row.get("Comment")));
                table.print(System.out);
            }
            return 0;
        }
    }

    private String createdBy(String createdBy) {
        String oneLine = createdBy.replace('\n', ' ').replace('\t', ' ');
        if (noTrunc || oneLine.codePointCount(0, oneLine.length()) <= CREATED_BY_WIDTH) {
            return oneLine;
        }
        return oneLine.substring(0, oneLine.offsetByCodePoints(0, CREATED_BY_WIDTH - 1)) + "…";
    }
}
