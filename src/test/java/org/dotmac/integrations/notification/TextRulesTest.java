package org.dotmac.integrations.notification;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The characters a one-line value and a message body may hold, and what an address is. */
class TextRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\u0085b", "a\u2028b", "a\u2029b"})
    void aLineBreakOfAnyKindIsRefusedInAOneLineValueAsALineBreak(String value) {
        assertThat(Addresses.hasLineBreak(value)).isTrue();
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
        assertThat(Addresses.hasLineBreak(null)).isFalse();
        assertThat(Addresses.hasLineBreak("plain")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@example.com", "Jane Doe <jane@example.com>", "a.b+tag@sub.example.org"})
    void mailboxesWithADomainAreEmailAddresses(String value) {
        assertThat(Addresses.isEmail(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "user", "user@", "@example.com", "a@b@c", "user@example.com\r\nBcc: x@y.z",
            "a\u0001@example.com", "Jane <jane@example.com",
            "friends: a@example.com;", "undisclosed-recipients:;"})
    void anythingElseIsNot(String value) {
        assertThat(Addresses.isEmail(value)).isFalse();
    }

    @Test
    void anAddressLongerThan320CharactersIsNot() {
        String local = "a".repeat(64);
        String at320 = local + "@" + "d".repeat(320 - 64 - 1 - 4) + ".com";
        assertThat(at320).hasSize(320);
        assertThat(Addresses.isEmail(at320)).isTrue();
        assertThat(Addresses.isEmail("a" + at320)).isFalse();
        assertThat(Addresses.isEmail(null)).isFalse();
    }

    @Test
    void e164IsAPlusACountryCodeAndAtMost15Digits() {
        assertThat(Addresses.isE164("+14155550100")).isTrue();
        assertThat(Addresses.isE164("+12")).isTrue();
        assertThat(Addresses.isE164("+123456789012345")).isTrue();
        assertThat(Addresses.isE164("+1234567890123456")).isFalse();
        assertThat(Addresses.isE164("+1")).isFalse();
        assertThat(Addresses.isE164("+04155550100")).isFalse();
        assertThat(Addresses.isE164("14155550100")).isFalse();
        assertThat(Addresses.isE164("+1 415 555 0100")).isFalse();
        assertThat(Addresses.isE164("+14155550100\n")).isFalse();
        assertThat(Addresses.isE164(null)).isFalse();
    }
}
