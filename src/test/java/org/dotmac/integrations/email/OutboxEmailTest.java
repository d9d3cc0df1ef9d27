package org.dotmac.integrations.email;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The email suite on the development outbox. */
class OutboxEmailTest extends EmailProviderSuite {

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass();

    @Override
    TestGateway gateway() {
        return gateway;
    }

    @Override
    String provider() {
        return "outbox";
    }

    @Override
    Delivered delivered(String id) throws Exception {
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

    private static List<String> texts(JsonNode addresses) throws Exception {
        List<String> answer = new ArrayList<>();
        for (JsonNode address : addresses) {
            answer.add(new jakarta.mail.internet.InternetAddress(address.asText()).getAddress());
        }
        return answer;
    }
}
