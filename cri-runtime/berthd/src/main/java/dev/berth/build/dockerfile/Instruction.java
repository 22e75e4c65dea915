package dev.berth.build.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One parsed Dockerfile instruction with the line it starts on. Records straight from the parser hold the
 * words as written (quotes and {@code $VAR}s intact where the instruction expands them);
 * {@link StageScope#resolve} returns the same kinds with variables expanded and quotes removed.
 */
public sealed interface Instruction {

    int line();

    String keyword();

    /** {@code FROM [--platform=p] image [AS name]}; {@code name} and {@code platform} are empty when not given. */
    record From(int line, String image, String name, String platform) implements Instruction {
        public String keyword() {
            return "FROM";
        }
    }

    /** {@code network} is {@code default}, {@code none} or {@code host}. */
    record Run(int line, Command command, String network, List<Heredoc> heredocs) implements Instruction {
        public Run {
            heredocs = List.copyOf(heredocs);
        }

        public String keyword() {
            return "RUN";
        }

        /**
         * The shell script BuildKit runs for a shell-form RUN: the line, then each here-document's body and
         * its terminator, so the shell itself feeds them to the command.
         */
        public String shellScript() {
            if (!(command instanceof Command.Shell shell)) {
                throw new IllegalStateException("exec-form RUN has no shell script");
            }
            if (heredocs.size() == 1
                    && shell.script()
                            .strip()
                            .matches("<<-?([\"']?)"
                                    + Pattern.quote(heredocs.get(0).name()) + "\\1")) {
                // a RUN that is nothing but a here-document runs its body as the script
                return heredocs.get(0).content();
            }
            StringBuilder script = new StringBuilder(shell.script());
            for (Heredoc heredoc : heredocs) {
                script.append('\n').append(heredoc.content()).append(heredoc.name());
            }
            return script.toString();
        }
    }

    record Cmd(int line, Command command) implements Instruction {
        public String keyword() {
            return "CMD";
        }
    }

    record Entrypoint(int line, Command command) implements Instruction {
        public String keyword() {
            return "ENTRYPOINT";
        }
    }

    record Label(int line, List<KeyValue> labels) implements Instruction {
        public Label {
            labels = List.copyOf(labels);
        }

        public String keyword() {
            return "LABEL";
        }
    }

    /** Ports as written ({@code 80}, {@code 53/udp}, {@code 8000-8010/tcp}); see {@link ExposedPorts}. */
    record Expose(int line, List<String> ports) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }

        public String keyword() {
            return "EXPOSE";
        }
    }

    record Env(int line, List<KeyValue> variables) implements Instruction {
        public Env {
            variables = List.copyOf(variables);
        }

        public String keyword() {
            return "ENV";
        }
    }

    /**
     * COPY or ADD ({@code add} true). A source that is a here-document is named by its delimiter and found in
     * {@code heredocs}. {@code from} (COPY only), {@code chown} and {@code chmod} are empty when not given;
     * {@code --link} is accepted and has no effect on how Berth builds.
     */
    record Copy(
            int line,
            boolean add,
            List<String> sources,
            String destination,
            String from,
            String chown,
            String chmod,
            List<Heredoc> heredocs)
            implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
            heredocs = List.copyOf(heredocs);
        }

        public String keyword() {
            return add ? "ADD" : "COPY";
        }
    }

    record Volume(int line, List<String> paths) implements Instruction {
        public Volume {
            paths = List.copyOf(paths);
        }

        public String keyword() {
            return "VOLUME";
        }
    }

    record User(int line, String user) implements Instruction {
        public String keyword() {
            return "USER";
        }
    }

    record Workdir(int line, String path) implements Instruction {
        public String keyword() {
            return "WORKDIR";
        }
    }

    record Arg(int line, List<ArgDefinition> definitions) implements Instruction {
        public Arg {
            definitions = List.copyOf(definitions);
        }

        public String keyword() {
            return "ARG";
        }
    }

    /** {@code expression} is the trigger as written, for the image config; {@code trigger} is it parsed. */
    record Onbuild(int line, String expression, Instruction trigger) implements Instruction {
        public String keyword() {
            return "ONBUILD";
        }
    }

    record StopSignal(int line, String signal) implements Instruction {
        public String keyword() {
            return "STOPSIGNAL";
        }
    }

    /**
     * {@code HEALTHCHECK NONE} ({@code test} null, {@code disabled}) or {@code HEALTHCHECK [flags] CMD ...};
     * a zero duration or retry count means "not set, inherit", as in the image config.
     */
    record Healthcheck(
            int line,
            boolean disabled,
            Command test,
            Duration interval,
            Duration timeout,
            Duration startPeriod,
            Duration startInterval,
            int retries)
            implements Instruction {
        public String keyword() {
            return "HEALTHCHECK";
        }
    }

    record Shell(int line, List<String> shell) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }

        public String keyword() {
            return "SHELL";
        }
    }

    /** Deprecated; Docker sets the image config's {@code author} from it. */
    record Maintainer(int line, String maintainer) implements Instruction {
        public String keyword() {
            return "MAINTAINER";
        }
    }
}
