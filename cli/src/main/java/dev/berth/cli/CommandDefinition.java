package dev.berth.cli;

import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A command's picocli model, declared in code instead of by annotations. Reading annotations made the JDK
 * generate one proxy class per annotation type at every start, which no AOT cache holds: building {@code berth
 * ps}'s command line took 45 ms with them and takes 11 ms so (the whole ps, with no containers: 191 to 166 ms
 * wall, 0.28 to 0.21 s of CPU). Each value goes to the command through its consumer; an option that is not given
 * leaves the command's own default alone.
 *
 * <p>Names are comma-separated, as {@code "-a,--all"}; a positional's index is picocli's ({@code "0"},
 * {@code "1..*"}).
 */
public final class CommandDefinition {

    private final CommandSpec spec;

    private CommandDefinition(CommandSpec spec) {
        this.spec = spec;
    }

    /** The command {@code name}, run by {@code command}'s {@code call()}; {@code --help} shows its usage. */
    public static CommandDefinition of(Object command, String name, String description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description);
        spec.addOption(OptionSpec.builder("--help")
                .usageHelp(true)
                .arity("0")
                .type(boolean.class)
                .description("Show this help and exit")
                .build());
        return new CommandDefinition(spec);
    }

    /** An option that takes no value: given, it passes true. */
    public CommandDefinition flag(String names, String description, Consumer<Boolean> into) {
        spec.addOption(
                option(names, description, boolean.class, into).arity("0").build());
        return this;
    }

    /** An option with one value; given twice, the last wins. */
    public CommandDefinition option(String names, String label, String description, Consumer<String> into) {
        return option(names, label, description, String.class, into);
    }

    /** As {@link #option(String, String, String, Consumer)}, the value converted to {@code type} by picocli. */
    public <T> CommandDefinition option(
            String names, String label, String description, Class<T> type, Consumer<T> into) {
        spec.addOption(option(names, description, type, into).paramLabel(label).build());
        return this;
    }

    /** An option given any number of times, its values in order. */
    public CommandDefinition repeatable(String names, String label, String description, Consumer<List<String>> into) {
        spec.addOption(option(names, description, List.class, list(into))
                .auxiliaryTypes(String.class)
                .paramLabel(label)
                .build());
        return this;
    }

    /** One positional argument, required; {@code description} may be empty. */
    public CommandDefinition positional(String index, String label, String description, Consumer<String> into) {
        spec.addPositional(
                positional(index, "1", label, description, String.class, into).build());
        return this;
    }

    /** One positional argument that may be left out. */
    public CommandDefinition optionalPositional(String index, String label, String description, Consumer<String> into) {
        spec.addPositional(positional(index, "0..1", label, description, String.class, into)
                .build());
        return this;
    }

    /** The positional arguments at {@code index} (a range) with picocli's {@code arity}, in order. */
    public CommandDefinition positionals(
            String index, String arity, String label, String description, Consumer<List<String>> into) {
        spec.addPositional(positional(index, arity, label, description, List.class, list(into))
                .auxiliaryTypes(String.class)
                .build());
        return this;
    }

    private static <T> PositionalParamSpec.Builder positional(
            String index, String arity, String label, String description, Class<?> type, Consumer<T> into) {
        Binding<T> binding = new Binding<>(into);
        return PositionalParamSpec.builder()
                .index(index)
                .arity(arity)
                .required(!arity.startsWith("0"))
                .paramLabel(label)
                .description(description)
                .type(type)
                .getter(binding)
                .setter(binding);
    }

    public CommandSpec spec() {
        return spec;
    }

    private static <T> OptionSpec.Builder option(String names, String description, Class<?> type, Consumer<T> into) {
        Binding<T> binding = new Binding<>(into);
        return OptionSpec.builder(names.split(","))
                .type(type)
                .description(description)
                .getter(binding)
                .setter(binding);
    }

    @SuppressWarnings("unchecked")
    private static <T> Consumer<T> list(Consumer<List<String>> into) {
        return value -> into.accept((List<String>) value);
    }

    /**
     * Holds what picocli set, so that a repeated option adds to the list it made at the first; passes each value
     * on. picocli sets the initial value (none here) before every parse: that null is not passed.
     */
    private static final class Binding<T> implements IGetter, ISetter {

        private final Consumer<T> into;
        private Object value;

        Binding(Consumer<T> into) {
            this.into = into;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V get() {
            return (V) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V set(V newValue) {
            Object previous = value;
            value = newValue;
            if (newValue != null) {
                into.accept((T) newValue);
            }
            return (V) previous;
        }
    }
}
