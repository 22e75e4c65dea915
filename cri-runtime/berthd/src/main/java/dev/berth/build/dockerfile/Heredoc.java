package dev.berth.build.dockerfile;

/**
 * One here-document of a RUN, COPY or ADD line. {@code content} is the body as the builder uses it: every
 * line with its newline, leading tabs already stripped for {@code <<-}. A quoted delimiter
 * ({@code <<"EOF"}, {@code <<'EOF'}) turns off variable expansion of the body ({@code expand} false).
 */
public record Heredoc(String name, String content, boolean expand, boolean chompTabs) {}
