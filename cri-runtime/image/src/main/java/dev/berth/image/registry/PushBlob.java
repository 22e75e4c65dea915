package dev.berth.image.registry;

import dev.berth.image.manifest.Descriptor;
import java.nio.file.Path;

/** A blob to push (a config or a layer) and the verified file its bytes are read from, never held in memory. */
public record PushBlob(Descriptor descriptor, Path file) {}
