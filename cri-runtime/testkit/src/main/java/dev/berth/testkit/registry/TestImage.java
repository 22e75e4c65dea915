package dev.berth.testkit.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An image to build and push: layers, platform, runtime defaults and the manifest style. */
public record TestImage(
        List<TestLayer> layers,
        String os,
        String architecture,
        String variant,
        String user,
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        String workingDir,
        List<String> exposedPorts,
        Map<String, String> labels,
        String stopSignal,
        MediaStyle style,
        List<String> overrideDiffIds) {

    public enum MediaStyle {
        OCI,
        DOCKER
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<TestLayer> layers = new ArrayList<>();
        private String os = "linux";
        private String architecture = "amd64";
        private String variant;
        private String user;
        private List<String> env = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        private List<String> entrypoint;
        private List<String> cmd = List.of("sh");
        private String workingDir;
        private final List<String> exposedPorts = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String stopSignal;
        private MediaStyle style = MediaStyle.OCI;
        private List<String> overrideDiffIds;

        public Builder layer(TestLayer layer) {
            layers.add(layer);
            return this;
        }

        public Builder layer(byte[] tar, TestLayer.Compression compression) {
            return layer(TestLayer.of(tar, compression));
        }

        public Builder platform(String os, String architecture, String variant) {
            this.os = os;
            this.architecture = architecture;
            this.variant = variant;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder env(String... env) {
            this.env = List.of(env);
            return this;
        }

        public Builder entrypoint(String... entrypoint) {
            this.entrypoint = List.of(entrypoint);
            return this;
        }

        public Builder cmd(String... cmd) {
            this.cmd = List.of(cmd);
            return this;
        }

        public Builder workingDir(String workingDir) {
            this.workingDir = workingDir;
            return this;
        }

        public Builder exposedPort(String port) {
            exposedPorts.add(port);
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder stopSignal(String stopSignal) {
            this.stopSignal = stopSignal;
            return this;
        }

        public Builder style(MediaStyle style) {
            this.style = style;
            return this;
        }

        /** Lies about the diff IDs in the config, for tests of verification. */
        public Builder overrideDiffIds(List<String> diffIds) {
            this.overrideDiffIds = List.copyOf(diffIds);
            return this;
        }

        public TestImage build() {
            return new TestImage(
                    List.copyOf(layers),
                    os,
                    architecture,
                    variant,
                    user,
                    env,
                    entrypoint,
                    cmd,
                    workingDir,
                    List.copyOf(exposedPorts),
                    Map.copyOf(labels),
                    stopSignal,
                    style,
                    overrideDiffIds);
        }
    }
}
