package org.dotmac.integrations.notification;

import java.net.http.HttpResponse;
import java.util.stream.Stream;

import jakarta.jms.Message;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelExecutionException;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The same validation rules hold at every door: 400 on REST, an exception on direct, the dead-letter queue on JMS. */
class NotificationValidationTest {

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass();

    /** operation, body, the field the problem must name. */
    static Stream<Arguments> invalidRequests() {
        String long1601 = "x".repeat(1601);
        return Stream.of(
                Arguments.of("email", "{\"subject\":\"s\",\"content\":\"c\"}", "to"),
                Arguments.of("email", "{\"to\":\"not-an-address\",\"subject\":\"s\",\"content\":\"c\"}", "to"),
                Arguments.of("email", "{\"to\":\"a@b.com\\r\\nBcc: evil@x.com\",\"subject\":\"s\",\"content\":\"c\"}", "to"),
                Arguments.of("email", "{\"to\":[\"a@b.com\",\"@nope\"],\"subject\":\"s\",\"content\":\"c\"}", "to[1]"),
                Arguments.of("email", "{\"to\":[\"a@b.com\",null],\"subject\":\"s\",\"content\":\"c\"}", "to[1]"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"attachments\":[null]}", "attachments[0]"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"Hi\\r\\nBcc: evil@x.com\",\"content\":\"c\"}", "subject"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"Hi\\nthere\",\"content\":\"c\"}", "subject"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"" + "s".repeat(999) + "\",\"content\":\"c\"}", "subject"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"content\":\"c\"}", "subject"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"  \"}", "content"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"cc\":\"bad\"}", "cc"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"bcc\":[\"x@y.z\",\"bad\"]}", "bcc[1]"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"replyTo\":\"bad\"}", "replyTo"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":5,\"content\":\"c\"}", "subject"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"priority\":1}", "priority"),
                Arguments.of("email", "{\"to\":[" + "\"a@b.com\",".repeat(600) + "\"a@b.com\"],\"bcc\":["
                        + "\"x@b.com\",".repeat(399) + "\"x@b.com\"],\"subject\":\"s\",\"content\":\"c\"}", "to"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"attachments\":[{\"content\":\"@@@\",\"filename\":\"a.txt\"}]}", "attachments[0].content"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"attachments\":[{\"content\":\"aGk=\"}]}", "attachments[0].filename"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"attachments\":[{\"content\":\"aGk=\",\"filename\":\"a\\r\\nX-Evil: 1\"}]}", "attachments[0].filename"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"attachments\":[{\"content\":\"aGk=\",\"filename\":\"a.txt\",\"type\":\"text/plain\\r\\nX: y\"}]}", "attachments[0].type"),
                Arguments.of("email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"attachments\":[{\"content\":\""
                        + "A".repeat(41_943_044) + "\",\"filename\":\"big.bin\"}]}", "attachments"),
                Arguments.of("sms", "{\"to\":\"4155550100\",\"message\":\"m\"}", "to"),
                Arguments.of("sms", "{\"to\":\"+0155550100\",\"message\":\"m\"}", "to"),
                Arguments.of("sms", "{\"to\":\"+1415555010012345\",\"message\":\"m\"}", "to"),
                Arguments.of("sms", "{\"message\":\"m\"}", "to"),
                Arguments.of("sms", "{\"to\":\"+14155550100\",\"message\":\"\"}", "message"),
                Arguments.of("sms", "{\"to\":\"+14155550100\",\"message\":\"" + long1601 + "\"}", "message"),
                Arguments.of("sms", "{\"to\":\"+14155550100\",\"message\":[\"m\"]}", "message"),
                Arguments.of("notification", "{\"recipient\":\"a@b.com\",\"message\":\"m\"}", "type"),
                Arguments.of("notification", "{\"type\":\"fax\",\"recipient\":\"a@b.com\",\"message\":\"m\"}", "type"),
                Arguments.of("notification", "{\"type\":\"email\",\"recipient\":\"nope\",\"message\":\"m\"}", "recipient"),
                Arguments.of("notification", "{\"type\":\"email\",\"recipient\":\"a@b.com\",\"message\":\"\"}", "message"),
                Arguments.of("notification", "{\"type\":\"sms\",\"recipient\":\"a@b.com\",\"message\":\"m\"}", "recipient"),
                Arguments.of("notification", "{\"type\":\"sms\",\"recipient\":\"+14155550100\",\"message\":\"m\",\"subject\":\"s\"}", "subject"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("invalidRequests")
    void restRejectsInvalidFieldsWithAProblemNamingTheField(String operation, String body, String field) throws Exception {
        HttpResponse<String> response = gateway.postJson(path(operation), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = TestGateway.json(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("errors").findValuesAsText("field")).contains(field);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("invalidRequests")
    void directRejectsTheSameRequestsWithAProblemException(String operation, String body, String field) {
        Throwable thrown = catchThrowable(() -> gateway.direct("direct:" + operation + "-send", body));

        assertThat(thrown).isInstanceOf(CamelExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(ProblemException.class);
        ProblemException problem = (ProblemException) thrown.getCause();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).extracting(ProblemException.FieldError::field).contains(field);
    }

    @Test
    void jmsMovesAnInvalidRequestToTheDeadLetterQueueWithTheReason() throws Exception {
        String body = "{\"to\":\"+14155550100\",\"message\":\"\"}";
        gateway.sendJms("integrations.sms", body);

        Message dead = gateway.receiveJms("integrations.dlq", 20_000);
        assertThat(dead).as("a message on integrations.dlq").isNotNull();
        assertThat(dead.getBody(String.class)).isEqualTo(body);
        assertThat(dead.getStringProperty("DeadLetterReason")).contains("message").contains("required");
        assertThat(dead.getIntProperty("DeadLetterStatus")).isEqualTo(400);
        assertThat(dead.getStringProperty("DeadLetterOriginalQueue")).isEqualTo("integrations.sms");
    }

    @Test
    void jmsMovesMalformedJsonToTheDeadLetterQueue() throws Exception {
        gateway.sendJms("integrations.email", "{not json");

        Message dead = gateway.receiveJms("integrations.dlq", 20_000);
        assertThat(dead).as("a message on integrations.dlq").isNotNull();
        assertThat(dead.getBody(String.class)).isEqualTo("{not json");
        assertThat(dead.getStringProperty("DeadLetterReason")).contains("not valid JSON");
        assertThat(dead.getStringProperty("DeadLetterOriginalQueue")).isEqualTo("integrations.email");
    }

    @Test
    void jmsRequesterWithReplyToGetsTheProblem() throws Exception {
        JsonNode reply = TestGateway.json(gateway.requestJms("integrations.notifications",
                "{\"type\":\"sms\",\"recipient\":\"12\",\"message\":\"m\"}"));

        assertThat(reply.get("status").asInt()).isEqualTo(400);
        assertThat(reply.get("errors").findValuesAsText("field")).contains("recipient");
        assertThat(gateway.receiveJms("integrations.dlq", 20_000)).isNotNull();
    }

    @Test
    void acceptsDisplayNamesAndUnicodeAddresses() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":[\"José Núñez <jose@example.com>\",\"plain@example.org\"],\"subject\":\"Olá\",\"content\":\"c\"}");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static String path(String operation) {
        return operation.equals("notification") ? "/api/v1/notifications" : "/api/v1/notifications/" + operation;
    }
}
