package org.dotmac.integrations.sms;

import org.dotmac.integrations.core.ProblemException.FieldError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule of an SMS request, on its own, and what a phone number is. */
class SmsRulesTest {

    private static java.util.List<String> fields(java.util.List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void anSmsGoesToAnE164NumberWithAMessageOfAtMost1600Characters() {
        assertThat(SmsRules.problems(new SmsRequest("+14155550100", "m".repeat(1600)))).isEmpty();
        assertThat(SmsRules.problems(new SmsRequest("+14155550100", "m".repeat(1601))))
                .containsExactly(new FieldError("message", "is 1601 characters long; at most 1600"));
        assertThat(SmsRules.problems(new SmsRequest(null, "m")))
                .containsExactly(new FieldError("to", "is required: a phone number in E.164 form, e.g. +14155550100"));
        assertThat(SmsRules.problems(new SmsRequest(" ", "m")))
                .containsExactly(new FieldError("to", "is required: a phone number in E.164 form, e.g. +14155550100"));
        assertThat(SmsRules.problems(new SmsRequest("4155550100", "m")))
                .containsExactly(new FieldError("to", "must be a phone number in E.164 form, e.g. +14155550100"));
        assertThat(fields(SmsRules.problems(new SmsRequest("+14155550100", "")))).containsExactly("message");
        assertThat(fields(SmsRules.problems(new SmsRequest("+14155550100", "a\u001bb")))).containsExactly("message");
        assertThat(SmsRules.problems(new SmsRequest("+14155550100", "line\nline"))).isEmpty();
    }

    @Test
    void e164IsAPlusACountryCodeAndAtMost15Digits() {
        assertThat(SmsRules.isE164("+14155550100")).isTrue();
        assertThat(SmsRules.isE164("+12")).isTrue();
        assertThat(SmsRules.isE164("+123456789012345")).isTrue();
        assertThat(SmsRules.isE164("+1234567890123456")).isFalse();
        assertThat(SmsRules.isE164("+1")).isFalse();
        assertThat(SmsRules.isE164("+04155550100")).isFalse();
        assertThat(SmsRules.isE164("14155550100")).isFalse();
        assertThat(SmsRules.isE164("+1 415 555 0100")).isFalse();
        assertThat(SmsRules.isE164("+14155550100\n")).isFalse();
        assertThat(SmsRules.isE164(null)).isFalse();
    }
}
