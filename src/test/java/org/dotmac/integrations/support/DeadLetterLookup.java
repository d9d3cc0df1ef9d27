package org.dotmac.integrations.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/** Finds a dead letter by a text its body holds, through the gateway's dead-letter API. */
public final class DeadLetterLookup {

    private DeadLetterLookup() {
    }

    /** The listing's entry of the letter whose body contains {@code marker}, or null while there is none. */
    public static JsonNode find(TestGateway gateway, String marker) throws Exception {
        JsonNode list = TestGateway.json(gateway.get("/api/v1/dead-letters?limit=1000").body());
        for (JsonNode letter : list.get("deadLetters")) {
            JsonNode full = TestGateway.json(gateway.get("/api/v1/dead-letters/" + encode(letter.get("id").asText())).body());
            if (full.path("body").asText().contains(marker)) {
                return letter;
            }
        }
        return null;
    }

    /** Waits up to 30 s for that letter. */
    public static JsonNode await(TestGateway gateway, String marker) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> find(gateway, marker), letter -> letter != null);
    }

    public static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
