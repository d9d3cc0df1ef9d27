package org.dotmac.integrations.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** The contract check holds a double's answers to the vendor's response schemas, not only our requests. */
class ContractValidatorTest {

    private final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private List<String> exchange(ContractValidator contract, HttpRequest.Builder request, ResponseDefinitionBuilder answer) throws Exception {
        server.resetAll();
        server.stubFor(any(anyUrl()).willReturn(answer));
        http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        return contract.violations(server.getAllServeEvents().getFirst());
    }

    private HttpRequest.Builder twilioCreate() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + TwilioDouble.PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (TwilioDouble.ACCOUNT_SID + ":" + TwilioDouble.AUTH_TOKEN).getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString("To=%2B14155550100&From=%2B15005550006&Body=hi"));
    }

    @Test
    void twilioCreatedMessageAsTwilioAnswersItConforms() throws Exception {
        assertThat(exchange(ContractValidator.forContract("twilio-messages-create.json"), twilioCreate(),
                TwilioDouble.created("SM" + "0".repeat(32), "queued"))).isEmpty();
    }

    @Test
    void twilioMessageWithAStatusTwilioDoesNotHaveIsAViolation() throws Exception {
        assertThat(exchange(ContractValidator.forContract("twilio-messages-create.json"), twilioCreate(),
                TwilioDouble.created("SM" + "0".repeat(32), "posted")))
                .anySatisfy(v -> assertThat(v).contains("answer 201").contains("posted"));
    }

    @Test
    void successStatusTheContractDoesNotListIsAViolation() throws Exception {
        assertThat(exchange(ContractValidator.forContract("twilio-messages-create.json"), twilioCreate(),
                aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")))
                .anySatisfy(v -> assertThat(v).contains("answer 200").contains("status.unknown"));
    }

    @Test
    void errorStatusTheContractDoesNotDescribeIsLetThrough() throws Exception {
        assertThat(exchange(ContractValidator.forContract("twilio-messages-create.json"), twilioCreate(),
                TwilioDouble.error(429, 20429, "Too Many Requests"))).isEmpty();
    }

    @Test
    void meilisearchTaskWithoutItsUidIsAViolation() throws Exception {
        HttpRequest.Builder read = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/tasks/7"))
                .header("Authorization", "Bearer " + MeilisearchDouble.API_KEY).GET();
        assertThat(exchange(ContractValidator.forContract("meilisearch-search.json"), read,
                aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"indexUid\":\"x\",\"status\":\"succeeded\",\"type\":\"documentAdditionOrUpdate\"}")))
                .anySatisfy(v -> assertThat(v).contains("answer 200").contains("uid"));
    }

    @Test
    void meilisearchDocumentWriteIsAcceptedWith202AndItsTask() throws Exception {
        HttpRequest.Builder write = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/indexes/x/documents"))
                .header("Authorization", "Bearer " + MeilisearchDouble.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"id\":\"1\"}]"));
        assertThat(exchange(ContractValidator.forContract("meilisearch-search.json"), write,
                MeilisearchDouble.enqueued(7, "documentAdditionOrUpdate"))).isEmpty();
    }

    @Test
    void vaultAnswerIsCheckedInsideItsEnvelope() throws Exception {
        ContractValidator vault = ContractValidator.forContract("vault-kv-v2-read.json").withGreedyTailAfter("/data/").withResponsesIn("data");
        HttpRequest.Builder read = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/secret/data/email/sendgrid"))
                .header("X-Vault-Token", VaultDouble.TOKEN).GET();
        assertThat(exchange(vault, read, aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"request_id\":\"r\",\"data\":{\"data\":{\"api_key\":\"k\"},\"metadata\":{\"version\":1}}}"))).isEmpty();
        assertThat(exchange(vault, read, aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"request_id\":\"r\",\"data\":{\"data\":\"api_key=k\",\"metadata\":{\"version\":1}}}")))
                .anySatisfy(v -> assertThat(v).contains("answer 200"));
    }
}
