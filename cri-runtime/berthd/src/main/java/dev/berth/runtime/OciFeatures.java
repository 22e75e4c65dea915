package dev.berth.runtime;

import java.util.Set;

/** What an OCI runtime says it supports ({@code <runtime> features}, runc 1.1+); empty for runtimes that do not say. */
public record OciFeatures(Set<String> mountOptions) {

    public static final OciFeatures NONE = new OciFeatures(Set.of());

    public OciFeatures {
        mountOptions = Set.copyOf(mountOptions);
    }

    /** The {@code rro} mount option: read-only applied to every sub-mount too (mount_setattr, AT_RECURSIVE). */
    public boolean recursiveReadOnlyMounts() {
        return mountOptions.contains("rro");
    }
}
