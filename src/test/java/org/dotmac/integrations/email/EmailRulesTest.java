package org.dotmac.integrations.email;

import java.util.Collections;
import java.util.List;

import org.dotmac.integrations.core.ProblemException.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule of an email request, on its own: the field it names and where its limit lies; what an address is. */
class EmailRulesTest {

    private static final String TO = "user@example.com";

    private static EmailRequest email(List<String> to, String subject, String content) {
        return new EmailRequest(to, subject, content);
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void aPlainEmailHasNoProblem() {
        assertThat(EmailRules.problems(email(List.of(TO), "Hello", "Body"))).isEmpty();
    }

    @Test
    void anEmailWithoutRecipientNamesTo() {
        assertThat(EmailRules.problems(email(List.of(), "s", "c")))
                .containsExactly(new FieldError("to", "is required: one address or a list of addresses"));
    }

    @Test
    void ccAndBccAreOptionalButCheckedEachByItsPlace() {
        EmailRequest request = new EmailRequest(List.of(TO), "s", "c", null, List.of(TO, "bad"), List.of("worse"), null, null);
        assertThat(fields(EmailRules.problems(request))).containsExactly("cc[1]", "bcc");
    }

    @Test
    void oneBadAddressAmongSeveralIsNamedByItsIndexAndASingleOneByItsField() {
        assertThat(fields(EmailRules.problems(email(List.of(TO, "nope"), "s", "c")))).containsExactly("to[1]");
        assertThat(EmailRules.problems(email(List.of("nope"), "s", "c")))
                .containsExactly(new FieldError("to", "must be an email address (RFC 5322)"));
        assertThat(fields(EmailRules.problems(email(java.util.Arrays.asList(TO, null), "s", "c")))).containsExactly("to[1]");
    }

    @Test
    void atMost1000RecipientsInAll() {
        List<String> to = Collections.nCopies(500, TO);
        List<String> cc = Collections.nCopies(499, TO);
        assertThat(EmailRules.problems(new EmailRequest(to, "s", "c", null, cc, List.of(TO), null, null))).isEmpty();
        assertThat(EmailRules.problems(new EmailRequest(to, "s", "c", null, cc, List.of(TO, TO), null, null)))
                .containsExactly(new FieldError("to", "to, cc and bcc hold 1001 addresses; at most 1000 in all"));
    }

    @Test
    void replyToMustBeAnAddressWhenGiven() {
        assertThat(fields(EmailRules.problems(new EmailRequest(List.of(TO), "s", "c", null, null, null, "x", null))))
                .containsExactly("replyTo");
        assertThat(EmailRules.problems(new EmailRequest(List.of(TO), "s", "c", null, null, null, TO, null))).isEmpty();
    }

    @Test
    void theSubjectIsRequiredOneLineAndAt998Characters() {
        assertThat(EmailRules.problems(email(List.of(TO), null, "c")))
                .containsExactly(new FieldError("subject", "is required and must not be blank"));
        assertThat(fields(EmailRules.problems(email(List.of(TO), "  ", "c")))).containsExactly("subject");
        assertThat(EmailRules.problems(email(List.of(TO), "s".repeat(998), "c"))).isEmpty();
        assertThat(EmailRules.problems(email(List.of(TO), "s".repeat(999), "c")))
                .containsExactly(new FieldError("subject", "is 999 characters long; at most 998"));
        assertThat(fields(EmailRules.problems(email(List.of(TO), "Hi\r\nBcc: x@example.com", "c")))).containsExactly("subject");
    }

    @Test
    void theContentIsRequiredAndMayHoldLineBreaksButNoControlCharacter() {
        assertThat(fields(EmailRules.problems(email(List.of(TO), "s", null)))).containsExactly("content");
        assertThat(EmailRules.problems(email(List.of(TO), "s", "a\r\nb"))).isEmpty();
        assertThat(EmailRules.problems(email(List.of(TO), "s", "a\u0000b")))
                .containsExactly(new FieldError("content", "must not contain control characters (found U+0000)"));
    }

    @Test
    void htmlIsOptionalAndCheckedLikeABody() {
        assertThat(EmailRules.problems(new EmailRequest(List.of(TO), "s", "c", "<p>hi</p>\n", null, null, null, null))).isEmpty();
        assertThat(fields(EmailRules.problems(new EmailRequest(List.of(TO), "s", "c", "\u0007", null, null, null, null))))
                .containsExactly("html");
    }

    private static EmailRequest withAttachment(Attachment attachment) {
        return new EmailRequest(List.of(TO), "s", "c", null, null, null, null, java.util.Arrays.asList(attachment));
    }

    @Test
    void anAttachmentNeedsItsBytesAndAOneLineFileNameOfAtMost255Characters() {
        byte[] pdf = {1, 2, 3};
        assertThat(EmailRules.problems(withAttachment(new Attachment(pdf, "a.pdf", "application/pdf")))).isEmpty();
        assertThat(EmailRules.problems(withAttachment(new Attachment(pdf, "f".repeat(255), null)))).isEmpty();
        assertThat(fields(EmailRules.problems(withAttachment(new Attachment(pdf, "f".repeat(256), null)))))
                .containsExactly("attachments[0].filename");
        assertThat(fields(EmailRules.problems(withAttachment(new Attachment(pdf, "a\nb.pdf", null)))))
                .containsExactly("attachments[0].filename");
        assertThat(EmailRules.problems(withAttachment(new Attachment(pdf, " ", null))))
                .containsExactly(new FieldError("attachments[0].filename", "is required"));
        assertThat(fields(EmailRules.problems(withAttachment(new Attachment(pdf, null, null)))))
                .containsExactly("attachments[0].filename");
        assertThat(EmailRules.problems(withAttachment(new Attachment(new byte[0], "a.pdf", null))))
                .containsExactly(new FieldError("attachments[0].content", "is required: the file's bytes in base64"));
        assertThat(fields(EmailRules.problems(withAttachment(new Attachment(null, "a.pdf", null)))))
                .containsExactly("attachments[0].content");
        assertThat(EmailRules.problems(withAttachment(null)))
                .containsExactly(new FieldError("attachments[0]", "must be an object {content, filename, type?}"));
    }

    @Test
    void anAttachmentsTypeMustBeAMediaType() {
        byte[] pdf = {1};
        assertThat(EmailRules.problems(withAttachment(new Attachment(pdf, "a", "image/svg+xml")))).isEmpty();
        assertThat(EmailRules.problems(withAttachment(new Attachment(pdf, "a", "application/vnd.ms-excel")))).isEmpty();
        for (String bad : new String[] {"pdf", "text/", "/plain", "text/plain; charset=utf-8", "text/plain\r\nX: y", "-a/b"}) {
            assertThat(fields(EmailRules.problems(withAttachment(new Attachment(pdf, "a", bad))))).as(bad)
                    .containsExactly("attachments[0].type");
        }
    }

    @Test
    void theWholeEmailIsAtMost30MebibytesCountingTextHtmlAndDecodedAttachments() {
        int limit = 30 * 1024 * 1024;
        byte[] file = new byte[limit - 2];
        EmailRequest exact = new EmailRequest(List.of(TO), "s", "c", "h", null, null, null, List.of(new Attachment(file, "a", null)));
        assertThat(EmailRules.problems(exact)).isEmpty();
        EmailRequest over = new EmailRequest(List.of(TO), "s", "cc", "h", null, null, null, List.of(new Attachment(file, "a", null)));
        assertThat(EmailRules.problems(over)).containsExactly(new FieldError("attachments",
                "the email is " + (limit + 1) + " bytes (text, html and decoded attachments); at most " + limit));
        // without attachments the content is what is too large, counted in UTF-8 bytes, not characters
        String text = "\u00e9".repeat(limit / 2) + "x";
        assertThat(fields(EmailRules.problems(email(List.of(TO), "s", text)))).containsExactly("content");
        assertThat(EmailRules.problems(email(List.of(TO), "s", "\u00e9".repeat(limit / 2)))).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(fields(EmailRules.problems(email(List.of("x"), null, null)))).containsExactly("to", "subject", "content");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@example.com", "Jane Doe <jane@example.com>", "a.b+tag@sub.example.org"})
    void mailboxesWithADomainAreEmailAddresses(String value) {
        assertThat(EmailRules.isEmail(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "user", "user@", "@example.com", "a@b@c", "user@example.com\r\nBcc: x@y.z",
            "a\u0001@example.com", "Jane <jane@example.com",
            "friends: a@example.com;", "undisclosed-recipients:;"})
    void anythingElseIsNot(String value) {
        assertThat(EmailRules.isEmail(value)).isFalse();
    }

    @Test
    void anAddressLongerThan320CharactersIsNot() {
        String local = "a".repeat(64);
        String at320 = local + "@" + "d".repeat(320 - 64 - 1 - 4) + ".com";
        assertThat(at320).hasSize(320);
        assertThat(EmailRules.isEmail(at320)).isTrue();
        assertThat(EmailRules.isEmail("a" + at320)).isFalse();
        assertThat(EmailRules.isEmail(null)).isFalse();
    }
}
