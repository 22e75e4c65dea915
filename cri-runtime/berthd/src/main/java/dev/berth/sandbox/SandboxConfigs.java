package dev.berth.sandbox;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.cri.v1.PodSandboxConfig;

/** The PodSandboxConfig a record keeps as protobuf bytes. */
public final class SandboxConfigs {

    private SandboxConfigs() {
    }

    public static PodSandboxConfig parse(SandboxRecord sandbox) {
        try {
            return sandbox.config() == null ? PodSandboxConfig.getDefaultInstance() : PodSandboxConfig.parseFrom(sandbox.config());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("record of pod " + sandbox.id() + " holds an unreadable config", e);
        }
    }
}
