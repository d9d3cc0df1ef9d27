package org.dotmac.integrations.notification;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The characters a one-line value and a message body may hold. */
class TextRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\u0085b", "a\u2028b", "a\u2029b"})
    void aLineBreakOfAnyKindIsRefusedInAOneLineValueAsALineBreak(String value) {
        assertThat(TextRules.hasLineBreak(value)).isTrue();
        assertThat(TextRules.oneLineProblem(value)).startsWith("must not contain line breaks");
    }

    @Test
    void crAndLfAreAllowedInABody() {
        assertThat(TextRules.bodyProblem("line one\r\nline two\n")).isNull();
        assertThat(TextRules.bodyProblem("a\tb")).isNull();
        assertThat(TextRules.oneLineProblem("a\tb")).isNull();
    }

    @ParameterizedTest
    @ValueSource(chars = {'\u0000', '\u0007', '\u001f', '\u007f', '\u0080', '\u009f'})
    void controlCharactersAreRefusedInBothAndNamed(char c) {
        String value = "a" + c + "b";
        String expected = "must not contain control characters (found U+" + String.format("%04X", (int) c) + ")";
        assertThat(TextRules.bodyProblem(value)).isEqualTo(expected);
        assertThat(TextRules.oneLineProblem(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(chars = {' ', '~', '\u00a0', '\u00e9', '\u4e2d'})
    void printableCharactersJustOutsideTheControlRangesAreText(char c) {
        assertThat(TextRules.bodyProblem("a" + c)).isNull();
        assertThat(TextRules.oneLineProblem("a" + c)).isNull();
    }

    @Test
    void aSurrogatePairIsTextAndAnUnpairedHalfIsNot() {
        assertThat(TextRules.bodyProblem("smile \ud83d\ude00 done")).isNull();
        assertThat(TextRules.bodyProblem("\ud83d\ude00")).isNull();
        assertThat(TextRules.bodyProblem("x\ud800")).isEqualTo("holds an unpaired surrogate (\\ud800), which is not text");
        assertThat(TextRules.bodyProblem("\udc00x")).isEqualTo("holds an unpaired surrogate (\\udc00), which is not text");
        assertThat(TextRules.oneLineProblem("\ud800\ud800")).contains("unpaired surrogate");
    }

    @Test
    void aControlCharacterAfterAPairIsStillFound() {
        assertThat(TextRules.bodyProblem("\ud83d\ude00\u0001")).contains("U+0001");
    }

    @Test
    void nothingIsNoProblem() {
        assertThat(TextRules.bodyProblem(null)).isNull();
        assertThat(TextRules.oneLineProblem(null)).isNull();
        assertThat(TextRules.hasLineBreak(null)).isFalse();
        assertThat(TextRules.hasLineBreak("plain")).isFalse();
    }
}
