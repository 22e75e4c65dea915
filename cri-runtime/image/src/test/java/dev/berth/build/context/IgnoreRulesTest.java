package dev.berth.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IgnoreRulesTest {

    @Test
    void plainPatternExcludesTheFileAndEverythingUnderADirectory() {
        IgnoreRules rules = IgnoreRules.parse("node_modules\nsecret.txt\n");

        assertThat(rules.excludes("node_modules")).isTrue();
        assertThat(rules.excludes("node_modules/a/b.js")).isTrue();
        assertThat(rules.excludes("secret.txt")).isTrue();
        assertThat(rules.excludes("src/node_modules")).isFalse();
        assertThat(rules.excludes("secret.txt.bak")).isFalse();
    }

    @Test
    void starAndQuestionMarkStayWithinOneDirectory() {
        IgnoreRules rules = IgnoreRules.parse("*.log\n*/temp*\nfile?.txt\n");

        assertThat(rules.excludes("app.log")).isTrue();
        assertThat(rules.excludes("logs/app.log")).isFalse();
        assertThat(rules.excludes("a/temporary")).isTrue();
        assertThat(rules.excludes("a/b/temporary")).isFalse();
        assertThat(rules.excludes("file1.txt")).isTrue();
        assertThat(rules.excludes("file12.txt")).isFalse();
    }

    @Test
    void doubleStarSpansAnyNumberOfDirectoriesIncludingNone() {
        IgnoreRules rules = IgnoreRules.parse("**/*.go\ndocs/**\n");

        assertThat(rules.excludes("main.go")).isTrue();
        assertThat(rules.excludes("a/b/c/main.go")).isTrue();
        assertThat(rules.excludes("docs/x/y.md")).isTrue();
        assertThat(rules.excludes("main.goo")).isFalse();
    }

    @Test
    void exceptionsReincludeAndTheLastMatchingRuleWins() {
        IgnoreRules rules = IgnoreRules.parse("*.md\n!README*.md\nREADME-secret.md\n");

        assertThat(rules.excludes("CHANGES.md")).isTrue();
        assertThat(rules.excludes("README.md")).isFalse();
        assertThat(rules.excludes("README-secret.md")).isTrue();
        assertThat(rules.hasExceptions()).isTrue();
    }

    @Test
    void exceptionReincludesAFileInsideAnExcludedDirectory() {
        IgnoreRules rules = IgnoreRules.parse("build\n!build/keep.txt\n");

        assertThat(rules.excludes("build/keep.txt")).isFalse();
        assertThat(rules.excludes("build/other.txt")).isTrue();
    }

    @Test
    void leadingSlashAndDotSlashAreDroppedAndPathsCleaned() {
        IgnoreRules rules = IgnoreRules.parse("/abs\n./rel\na//b/../c\n");

        assertThat(rules.excludes("abs")).isTrue();
        assertThat(rules.excludes("rel/x")).isTrue();
        assertThat(rules.excludes("a/c")).isTrue();
        assertThat(rules.excludes("a/b")).isFalse();
    }

    @Test
    void commentsAndBlankLinesAreSkippedButOnlyAHashAtTheStartIsAComment() {
        IgnoreRules rules = IgnoreRules.parse("# comment\n\n   \n #notacomment\n");

        assertThat(rules.excludes("# comment")).isFalse();
        assertThat(rules.excludes("#notacomment")).isTrue();
    }

    @Test
    void characterClassesAndEscapesWork() {
        IgnoreRules rules = IgnoreRules.parse("[a-c].txt\n[!x]y\nstar\\*\n");

        assertThat(rules.excludes("b.txt")).isTrue();
        assertThat(rules.excludes("d.txt")).isFalse();
        assertThat(rules.excludes("zy")).isTrue();
        assertThat(rules.excludes("xy")).isFalse();
        assertThat(rules.excludes("star*")).isTrue();
        assertThat(rules.excludes("starry")).isFalse();
    }

    @Test
    void dockerfileAndDockerignoreCanBeExcluded() {
        IgnoreRules rules = IgnoreRules.parse("Dockerfile\n.dockerignore\n");

        assertThat(rules.excludes("Dockerfile")).isTrue();
        assertThat(rules.excludes(".dockerignore")).isTrue();
    }

    @Test
    void badPatternsAreRefused() {
        assertThatThrownBy(() -> IgnoreRules.parse("!\n")).hasMessageContaining("illegal exclusion pattern");
        assertThatThrownBy(() -> IgnoreRules.parse("[abc\n")).hasMessageContaining("syntax error in pattern");
    }
}
