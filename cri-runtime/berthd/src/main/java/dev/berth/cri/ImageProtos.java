package dev.berth.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.content.ContentStore;
import dev.berth.cri.v1.AuthConfig;
import dev.berth.cri.v1.FilesystemIdentifier;
import dev.berth.cri.v1.FilesystemUsage;
import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.Int64Value;
import dev.berth.cri.v1.UInt64Value;
import dev.berth.image.Digest;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.imagestore.ImageRecord;
import dev.berth.imagestore.ImageService;
import dev.berth.store.Json;
import java.io.IOException;
import java.nio.file.Path;

/** Maps image records to CRI messages and CRI auth to registry credentials. */
public final class ImageProtos {

    private final ImageService images;
    private final ContentStore content;
    private final Json json;
    private final Path imageFsMountpoint;

    public ImageProtos(ImageService images, ContentStore content, Json json, Path imageFsMountpoint) {
        this.images = images;
        this.content = content;
        this.json = json;
        this.imageFsMountpoint = imageFsMountpoint;
    }

    Image image(ImageRecord record) throws IOException {
        Image.Builder image = Image.newBuilder()
                .setId(record.id())
                .addAllRepoTags(record.repoTags())
                .addAllRepoDigests(record.repoDigests())
                .setSize(record.size())
                .setSpec(ImageSpec.newBuilder().setImage(record.id()));
        String user = images.config(record).config().user();
        ImageUser.parse(user).ifPresent(parsed -> {
            if (parsed.uid() != null) {
                image.setUid(Int64Value.newBuilder().setValue(parsed.uid()));
            } else {
                image.setUsername(parsed.name());
            }
        });
        return image.build();
    }

    /** The image config as the registry served it, with berthd's view of the image, as containerd's "info". */
    String verboseInfo(ImageRecord record) throws IOException {
        ObjectNode info = json.mapper().createObjectNode();
        info.put("id", record.id());
        info.put("manifestDigest", record.manifestDigest());
        info.put("platform", record.platform());
        info.put(
                "chainID",
                record.layers().isEmpty() ? "" : record.layers().getLast().chainId());
        byte[] config = content.read(Digest.parse(record.configDigest()))
                .orElseThrow(() -> new IOException("config blob " + record.configDigest() + " is missing"));
        info.set("imageSpec", json.mapper().readTree(config));
        return json.toPrettyString(info);
    }

    RegistryCredentials credentials(AuthConfig auth) {
        if (auth == null || auth.equals(AuthConfig.getDefaultInstance())) {
            return RegistryCredentials.NONE;
        }
        String username = auth.getUsername();
        String password = auth.getPassword();
        if (username.isEmpty() && !auth.getAuth().isEmpty()) {
            RegistryCredentials decoded = RegistryCredentials.fromAuth(auth.getAuth(), auth.getServerAddress());
            username = decoded.username();
            password = decoded.password();
        }
        return new RegistryCredentials(
                emptyToNull(username),
                emptyToNull(password),
                emptyToNull(auth.getIdentityToken()),
                emptyToNull(auth.getRegistryToken()),
                emptyToNull(auth.getServerAddress()));
    }

    FilesystemUsage filesystemUsage(ImageService.StoreUsage usage) {
        return FilesystemUsage.newBuilder()
                .setTimestamp(System.currentTimeMillis() * 1_000_000L)
                .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(imageFsMountpoint.toString()))
                .setUsedBytes(UInt64Value.newBuilder().setValue(usage.bytes()))
                .setInodesUsed(UInt64Value.newBuilder().setValue(usage.inodes()))
                .build();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
