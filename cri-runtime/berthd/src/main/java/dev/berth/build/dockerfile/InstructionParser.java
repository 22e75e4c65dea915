package dev.berth.build.dockerfile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one logical line into its {@link Instruction}, checking its form the way BuildKit's
 * {@code instructions.Parse} does. No variable is expanded here.
 */
final class InstructionParser {

    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9_.-]*");
    private static final Set<String> NETWORKS = Set.of("default", "none", "host");
    private static final Set<String> NOT_TRIGGERS = Set.of("ONBUILD", "FROM", "MAINTAINER");
    private static final Duration MINIMUM_HEALTH_DURATION = Duration.ofMillis(1);

    private final char escape;
    private final CopyParser copies;

    InstructionParser(char escape) {
        this.escape = escape;
        this.copies = new CopyParser();
    }

    Instruction parse(RawInstruction raw) throws InvalidInstructionException {
        int line = raw.line();
        String args = raw.arguments();
        return switch (raw.keyword()) {
            case "FROM" -> from(line, args);
            case "RUN" -> run(line, args, raw.heredocs());
            case "CMD" -> new Instruction.Cmd(line, command(args, "CMD"));
            case "ENTRYPOINT" -> new Instruction.Entrypoint(line, command(args, "ENTRYPOINT"));
            case "LABEL" -> new Instruction.Label(line, keyValues(args, "LABEL"));
            case "ENV" -> new Instruction.Env(line, keyValues(args, "ENV"));
            case "EXPOSE" -> new Instruction.Expose(line, atLeastOne(Words.whitespaceDelimited(args), "EXPOSE"));
            case "COPY" -> copies.parse(line, false, args, raw.heredocs());
            case "ADD" -> copies.parse(line, true, args, raw.heredocs());
            case "VOLUME" -> volume(line, args);
            case "USER" -> new Instruction.User(line, exactlyOne(args, "USER"));
            case "WORKDIR" -> new Instruction.Workdir(line, notEmpty(args, "WORKDIR"));
            case "ARG" -> arg(line, args);
            case "ONBUILD" -> onbuild(line, args);
            case "STOPSIGNAL" -> new Instruction.StopSignal(line, exactlyOne(args, "STOPSIGNAL"));
            case "HEALTHCHECK" -> healthcheck(line, args);
            case "SHELL" -> shell(line, args);
            case "MAINTAINER" -> new Instruction.Maintainer(line, notEmpty(args, "MAINTAINER"));
            default -> throw new InvalidInstructionException("unknown instruction");
        };
    }

    private static Instruction.From from(int line, String args) throws InvalidInstructionException {
        Flags flags = Flags.parse(args, Set.of("platform"), Set.of());
        List<String> words = Words.whitespaceDelimited(flags.rest());
        if (words.size() == 1) {
            return new Instruction.From(
                    line, words.get(0), "", flags.value("platform").orElse(""));
        }
        if (words.size() != 3 || !words.get(1).equalsIgnoreCase("AS")) {
            throw new InvalidInstructionException("FROM requires either one or three arguments (image [AS name])");
        }
        String name = words.get(2).toLowerCase(Locale.ROOT);
        if (!STAGE_NAME.matcher(name).matches()) {
            throw new InvalidInstructionException("invalid name for build stage: \"" + words.get(2)
                    + "\", name can't start with a number or contain symbols");
        }
        return new Instruction.From(
                line, words.get(0), name, flags.value("platform").orElse(""));
    }

    private static Instruction.Run run(int line, String args, List<Heredoc> heredocs)
            throws InvalidInstructionException {
        Flags flags = Flags.parse(args, Set.of("network", "mount", "security"), Set.of());
        if (flags.value("mount").isPresent()) {
            throw new InvalidInstructionException("--mount is not supported yet");
        }
        if (flags.value("security").isPresent()) {
            throw new InvalidInstructionException("--security is not supported");
        }
        String network = flags.value("network").orElse("default");
        if (!NETWORKS.contains(network)) {
            throw new InvalidInstructionException("unsupported network mode " + network + " (default, none or host)");
        }
        return new Instruction.Run(line, command(flags.rest(), "RUN"), network, heredocs);
    }

    private static Command command(String args, String keyword) throws InvalidInstructionException {
        Optional<List<String>> exec = Words.jsonArray(args);
        if (exec.isPresent()) {
            return new Command.Exec(exec.get());
        }
        return new Command.Shell(notEmpty(args, keyword));
    }

    /** ENV and LABEL: {@code k=v ...}, or the legacy {@code k v} where the value is the rest of the line. */
    private List<KeyValue> keyValues(String args, String keyword) throws InvalidInstructionException {
        List<String> words = Words.quoted(args, escape);
        if (words.isEmpty()) {
            throw new InvalidInstructionException(keyword + " requires at least one argument");
        }
        if (!words.get(0).contains("=")) {
            String[] parts = args.strip().split("[ \t\r\n\f]+", 2);
            if (parts.length < 2) {
                throw new InvalidInstructionException(keyword + " must have two arguments");
            }
            return List.of(new KeyValue(parts[0], parts[1]));
        }
        List<KeyValue> pairs = new ArrayList<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals < 0) {
                throw new InvalidInstructionException(
                        "can't find = in \"" + word + "\"; must be of the form: name=value");
            }
            if (equals == 0) {
                throw new InvalidInstructionException(keyword + " names can not be blank");
            }
            pairs.add(new KeyValue(word.substring(0, equals), word.substring(equals + 1)));
        }
        return pairs;
    }

    private static Instruction.Volume volume(int line, String args) throws InvalidInstructionException {
        List<String> paths = Words.jsonArray(args).orElseGet(() -> Words.whitespaceDelimited(args));
        if (paths.isEmpty() || paths.stream().anyMatch(String::isBlank)) {
            throw new InvalidInstructionException("VOLUME specified can not be an empty string");
        }
        return new Instruction.Volume(line, paths);
    }

    private Instruction.Arg arg(int line, String args) throws InvalidInstructionException {
        List<String> words = Words.quoted(args, escape);
        if (words.isEmpty()) {
            throw new InvalidInstructionException("ARG requires at least one argument");
        }
        List<ArgDefinition> definitions = new ArrayList<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            String name = equals < 0 ? word : word.substring(0, equals);
            if (name.isEmpty()) {
                throw new InvalidInstructionException("ARG names can not be blank");
            }
            definitions.add(new ArgDefinition(name, equals < 0 ? null : word.substring(equals + 1)));
        }
        return new Instruction.Arg(line, definitions);
    }

    private Instruction.Onbuild onbuild(int line, String args) throws InvalidInstructionException {
        String expression = notEmpty(args, "ONBUILD");
        String[] split = expression.split("[ \t\r\n\f]+", 2);
        String keyword = split[0].toUpperCase(Locale.ROOT);
        if (NOT_TRIGGERS.contains(keyword)) {
            throw new InvalidInstructionException(keyword + " isn't allowed as an ONBUILD trigger");
        }
        Instruction trigger;
        try {
            trigger = parse(new RawInstruction(line, keyword, split.length > 1 ? split[1] : "", List.of()));
        } catch (InvalidInstructionException e) {
            throw new InvalidInstructionException(keyword + ": " + e.getMessage());
        }
        return new Instruction.Onbuild(line, expression, trigger);
    }

    private static Instruction.Healthcheck healthcheck(int line, String args) throws InvalidInstructionException {
        Flags flags =
                Flags.parse(args, Set.of("interval", "timeout", "start-period", "start-interval", "retries"), Set.of());
        String[] split = flags.rest().split("[ \t\r\n\f]+", 2);
        String type = split[0].toUpperCase(Locale.ROOT);
        String rest = split.length > 1 ? split[1].strip() : "";
        if (type.equals("NONE")) {
            if (!rest.isEmpty() || !flags.values().isEmpty()) {
                throw new InvalidInstructionException("HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(
                    line, true, null, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);
        }
        if (!type.equals("CMD")) {
            throw new InvalidInstructionException("unknown type \"" + split[0] + "\" in HEALTHCHECK (try CMD)");
        }
        if (rest.isEmpty()) {
            throw new InvalidInstructionException("missing command after HEALTHCHECK CMD");
        }
        int retries = 0;
        Optional<String> retriesFlag = flags.value("retries");
        if (retriesFlag.isPresent()) {
            try {
                retries = Integer.parseInt(retriesFlag.get());
            } catch (NumberFormatException e) {
                throw new InvalidInstructionException("--retries needs a number, not " + retriesFlag.get());
            }
            if (retries < 0) {
                throw new InvalidInstructionException("--retries cannot be negative");
            }
        }
        return new Instruction.Healthcheck(
                line,
                false,
                command(rest, "HEALTHCHECK"),
                duration(flags, "interval"),
                duration(flags, "timeout"),
                duration(flags, "start-period"),
                duration(flags, "start-interval"),
                retries);
    }

    private static Duration duration(Flags flags, String name) throws InvalidInstructionException {
        Optional<String> value = flags.value(name);
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        Duration duration;
        try {
            duration = GoDurations.parse(value.get());
        } catch (InvalidInstructionException e) {
            throw new InvalidInstructionException("--" + name + ": " + e.getMessage());
        }
        if (!duration.isZero() && duration.compareTo(MINIMUM_HEALTH_DURATION) < 0) {
            throw new InvalidInstructionException("--" + name + " cannot be less than 1ms");
        }
        return duration;
    }

    private static Instruction.Shell shell(int line, String args) throws InvalidInstructionException {
        List<String> shell = Words.jsonArray(args)
                .orElseThrow(() -> new InvalidInstructionException("SHELL requires the arguments to be in JSON form"));
        if (shell.isEmpty()) {
            throw new InvalidInstructionException("SHELL requires at least one argument");
        }
        return new Instruction.Shell(line, shell);
    }

    private static List<String> atLeastOne(List<String> words, String keyword) throws InvalidInstructionException {
        if (words.isEmpty()) {
            throw new InvalidInstructionException(keyword + " requires at least one argument");
        }
        return words;
    }

    private static String exactlyOne(String args, String keyword) throws InvalidInstructionException {
        if (Words.whitespaceDelimited(args).size() != 1) {
            throw new InvalidInstructionException(keyword + " requires exactly one argument");
        }
        return args.strip();
    }

    private static String notEmpty(String args, String keyword) throws InvalidInstructionException {
        if (args.isBlank()) {
            throw new InvalidInstructionException(keyword + " requires at least one argument");
        }
        return args.strip();
    }
}
