package dev.berth.build.dockerfile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the caller of a build decides: {@code --build-arg}s, the {@code --target} stage (empty: the last),
 * and the platforms behind the automatic {@code BUILDPLATFORM}/{@code TARGETPLATFORM} arguments.
 */
public record BuildOptions(
        Map<String, String> buildArgs, String target, Platform buildPlatform, Platform targetPlatform) {

    public BuildOptions {
        buildArgs = Map.copyOf(buildArgs);
    }

    /** The automatic platform arguments, visible in FROM lines and to an ARG of the same name in a stage. */
    public Map<String, String> platformArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        put(args, "BUILD", buildPlatform);
        put(args, "TARGET", targetPlatform);
        return args;
    }

    private static void put(Map<String, String> args, String prefix, Platform platform) {
        args.put(prefix + "PLATFORM", platform.specifier());
        args.put(prefix + "OS", platform.os());
        args.put(prefix + "ARCH", platform.architecture());
        args.put(prefix + "VARIANT", platform.variant());
    }
}
