package dev.berth.build.run;

import dev.berth.sys.Mounts;

/** The node parts builds share with pods (mounts, sandboxes, runc), as the pod wiring made them. */
public record BuildRuntime(Mounts mounts, BuildSandboxes sandboxes, RunStep runner, BuildLeftovers leftovers) {}
