package org.dotmac.integrations.email;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The email suite on the development outbox. */
class OutboxEmailTest extends EmailProviderSuite {

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass();

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected String provider() {
        return "outbox";
    }

    @Override
    protected Delivered delivered(String id) throws Exception {
        for (JsonNode entry : gateway.outbox().get("messages")) {
            if (entry.get("id").asText().equals(id)) {
                JsonNode request = entry.get("request");
                return new Delivered(texts(request.path("to")), texts(request.path("cc")), request.path("subject").asText(),
                        request.path("content").asText(), request.path("html").asText(null),
                        request.path("attachments").findValuesAsText("filename"));
            }
        }
        return null;
    }

    @Test
    void theOutboxDropsItsOldestMessagePastItsCapacity() throws Exception {
        try (TestGateway small = TestGateway.perClass(Map.of("notification.outbox.capacity", "2",
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort())).startNow()) {
            for (String subject : List.of("first", "second", "third")) {
                var sent = small.postJson("/api/v1/notifications/email?wait=true",
                        "{\"to\":\"ana@example.com\",\"subject\":\"" + subject + "\",\"content\":\"c\"}");
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            }
            JsonNode outbox = small.outbox();
            assertThat(outbox.get("capacity").asInt()).isEqualTo(2);
            assertThat(outbox.get("messages").findValuesAsText("subject")).containsExactlyInAnyOrder("second", "third");
        }
    }

    private static List<String> texts(JsonNode addresses) throws Exception {
        List<String> answer = new ArrayList<>();
        for (JsonNode address : addresses) {
            answer.add(new jakarta.mail.internet.InternetAddress(address.asText()).getAddress());
        }
        return answer;
    }
}
