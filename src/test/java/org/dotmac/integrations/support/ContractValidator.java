package org.dotmac.integrations.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.LoggedResponse;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Checks requests that reached a WireMock double, and the double's answers, against the vendor's own
 * API contract (a copy trimmed by src/test/resources/contracts/derive.py): the double accepts only
 * what the real service would accept and answers only what the real service could answer. An error
 * status the contract does not list (Twilio's description lists no error answers at all, SendGrid's
 * no 429) cannot be checked and is let through; a success status it does not list is a violation.
 */
public final class ContractValidator {

    static {
        // a 30 MB email's base64 attachment is one JSON string longer than Jackson's default 20 M chars;
        // the validator reads bodies with swagger's shared mapper, which another test may have made already
        io.swagger.v3.core.util.Json.mapper().getFactory().setStreamReadConstraints(TestGateway.LARGE_STRINGS);
    }

    private final OpenApiInteractionValidator validator;
    private final OpenApiInteractionValidator formValidator;
    private final String name;
    private UnaryOperator<String> pathRewrite = UnaryOperator.identity();
    private String responseEnvelope;

    private ContractValidator(String name, OpenApiInteractionValidator validator, OpenApiInteractionValidator formValidator) {
        this.name = name;
        this.validator = validator;
        this.formValidator = formValidator;
    }

    /**
     * For a path parameter that spans slashes (Vault's {path}: its router matches the rest of the
     * URL), which an OpenAPI template cannot say: the part after {@code marker} is matched as one
     * encoded segment.
     */
    public ContractValidator withGreedyTailAfter(String marker) {
        pathRewrite = path -> {
            int at = path.indexOf(marker);
            return at < 0 ? path : path.substring(0, at + marker.length())
                    + path.substring(at + marker.length()).replace("/", "%2F");
        };
        return this;
    }

    /**
     * For a contract whose response schemas describe one member of the answer (Vault's describe the
     * {@code data} of its response envelope, which its client unwraps): that member is checked.
     */
    public ContractValidator withResponsesIn(String member) {
        responseEnvelope = member;
        return this;
    }

    /** @param resource a contract under src/test/resources/contracts/ */
    public static ContractValidator forContract(String resource) {
        try (InputStream in = ContractValidator.class.getResourceAsStream("/contracts/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no contract " + resource + " on the test classpath");
            }
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonNode spec = TestGateway.JSON.readTree(json);
            String basePath = spec.has("basePath") ? spec.get("basePath").asText()
                    : spec.at("/info/x-base-path").isTextual() ? spec.at("/info/x-base-path").asText() : null;
            return new ContractValidator(resource, validator(json, basePath, false), validator(json, basePath, true));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OpenApiInteractionValidator validator(String json, String basePath, boolean form) {
        // JSON Schema allows properties a schema does not name unless it says otherwise; the validator's
        // default forbids them, which the vendors' contracts do not (SendGrid's custom_args, say)
        LevelResolver.Builder levels = LevelResolver.create()
                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE);
        if (form) {
            // every value of a form body is text on the wire; the validator guesses numbers from digits
            // ("+14155550100" becomes an integer), so a form field's declared type cannot be checked
            levels.withLevel("validation.request.body.schema.type", ValidationReport.Level.IGNORE);
        }
        var builder = OpenApiInteractionValidator.createForInlineApiSpecification(json).withLevelResolver(levels.build());
        if (basePath != null) {
            builder.withBasePathOverride(basePath);
        }
        return builder.build();
    }

    /** The contract's complaints about one exchange, the request and the double's answer; empty when both conform. */
    public List<String> violations(ServeEvent event) {
        List<String> found = new ArrayList<>(violations(event.getRequest()));
        LoggedResponse answer = event.getResponse();
        if (event.getResponseDefinition().getFault() != null || answer == null || answer.getStatus() < 100) {
            return found; // a dropped connection is no answer
        }
        LoggedRequest logged = event.getRequest();
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.getStatus());
        for (HttpHeader header : answer.getHeaders().all()) {
            response.withHeader(header.key(), header.values());
        }
        String body = answer.getBodyAsString();
        if (body != null && !body.isEmpty()) {
            response.withBody(responseEnvelope == null ? body : envelopeMember(body));
        }
        ValidationReport report = validator.validateResponse(pathRewrite.apply(logged.getUrl().split("\\?", 2)[0]),
                Request.Method.valueOf(logged.getMethod().getName()), response.build());
        boolean success = answer.getStatus() < 300;
        report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .filter(m -> success || !m.getKey().equals("validation.response.status.unknown"))
                .map(m -> name + ": answer " + answer.getStatus() + " to " + logged.getMethod() + " " + logged.getUrl()
                        + ": " + m.getMessage() + " (" + m.getKey() + ")")
                .forEach(found::add);
        return found;
    }

    private String envelopeMember(String body) {
        try {
            return TestGateway.JSON.readTree(body).path(responseEnvelope).toString();
        } catch (IOException e) {
            return body; // not JSON: the schema check says so
        }
    }

    /** The contract's complaints about one request; empty when it conforms. */
    public List<String> violations(LoggedRequest logged) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(logged.getMethod().getName()),
                pathRewrite.apply(logged.getUrl().split("\\?", 2)[0]));
        for (HttpHeader header : logged.getHeaders().all()) {
            request.withHeader(header.key(), header.values());
        }
        logged.getQueryParams().forEach((key, values) -> request.withQueryParam(key, values.values()));
        if (logged.getBody() != null && logged.getBody().length > 0) {
            request.withBody(logged.getBodyAsString());
        }
        String contentType = logged.getHeader("Content-Type");
        boolean form = contentType != null && contentType.startsWith("application/x-www-form-urlencoded");
        ValidationReport report = (form ? formValidator : validator).validateRequest(request.build());
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> name + ": " + logged.getMethod() + " " + logged.getUrl() + ": " + m.getMessage() + " (" + m.getKey() + ")")
                .toList();
    }
}
