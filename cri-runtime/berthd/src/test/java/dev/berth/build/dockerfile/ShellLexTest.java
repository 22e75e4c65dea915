package dev.berth.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellLexTest {

    private static final Map<String, String> ENV = Map.of("A", "apple", "EMPTY", "", "SPACED", "two words");
    private final ShellLex lex = new ShellLex('\\');

    private String word(String text) throws InvalidInstructionException {
        return lex.processWord(text, ENV::get);
    }

    @Test
    void plainAndBracedVariablesExpandAndUnsetOnesVanish() throws Exception {
        assertThat(word("$A/${A}s/$MISSING/${MISSING}x")).isEqualTo("apple/apples//x");
        assertThat(word("cost: $ 5 and $")).isEqualTo("cost: $ 5 and $");
        assertThat(word("$A_b")).isEqualTo("");
    }

    @Test
    void colonModifiersTreatEmptyAsUnsetAndPlainOnesDoNot() throws Exception {
        assertThat(word("${MISSING:-def} ${EMPTY:-def} ${A:-def}")).isEqualTo("def def apple");
        assertThat(word("${MISSING-def}|${EMPTY-def}")).isEqualTo("def|");
        assertThat(word("${MISSING:+alt}|${EMPTY:+alt}|${A:+alt}")).isEqualTo("||alt");
        assertThat(word("${MISSING+alt}|${EMPTY+alt}")).isEqualTo("|alt");
        assertThat(word("${MISSING:-${A}-pie}")).isEqualTo("apple-pie");
    }

    @Test
    void questionModifierFailsForUnsetVariables() {
        assertThatThrownBy(() -> word("${MISSING:?needs a value}"))
                .isInstanceOf(InvalidInstructionException.class)
                .hasMessage("MISSING: needs a value");
        assertThatThrownBy(() -> word("${EMPTY:?}")).hasMessage("EMPTY: is not allowed to be unset");
    }

    @Test
    void singleQuotesAreLiteralAndDoubleQuotesExpand() throws Exception {
        assertThat(word("'$A \\n'")).isEqualTo("$A \\n");
        assertThat(word("\"$A \\\"q\\\" \\$A \\x\"")).isEqualTo("apple \"q\" $A \\x");
        assertThat(word("a\\ b\\$A")).isEqualTo("a b$A");
    }

    @Test
    void wordsSplitOnBlanksOutsideQuotesIncludingThoseOfValues() throws Exception {
        assertThat(lex.processWords("$SPACED \"$SPACED\" x'y z'", ENV::get))
                .containsExactly("two", "words", "two words", "xy z");
    }

    @Test
    void backtickEscapeWorksLikeBackslash() throws Exception {
        assertThat(new ShellLex('`').processWord("`$A c:\\dir", ENV::get)).isEqualTo("$A c:\\dir");
    }

    @Test
    void unterminatedQuotesAndBracesAreErrors() {
        assertThatThrownBy(() -> word("'open")).hasMessageContaining("matching '");
        assertThatThrownBy(() -> word("\"open")).hasMessageContaining("matching \"");
        assertThatThrownBy(() -> word("${A")).hasMessageContaining("missing '}'");
        assertThatThrownBy(() -> word("${A%x}")).hasMessageContaining("unsupported modifier");
        assertThatThrownBy(() -> word("${}")).hasMessageContaining("bad substitution");
    }

    @Test
    void literalQuotesModeKeepsQuotesForHeredocBodies() throws Exception {
        assertThat(new ShellLex('\\', true).processWord("echo '$A' \"$A\"\n", ENV::get))
                .isEqualTo("echo 'apple' \"apple\"\n");
    }
}
