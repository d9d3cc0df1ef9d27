package org.dotmac.integrations.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.dotmac.integrations.config.StartupValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** What a route file may define: providers for email and SMS over direct: routes, nothing that listens. */
class RouteFileProvidersTest {

    @TempDir
    Path dir;

    private RouteFileProviders.Found read(String file, String yaml) throws Exception {
        Files.writeString(dir.resolve(file), yaml);
        return RouteFileProviders.read(dir);
    }

    @Test
    void aDirectRouteNamedForAnIntegrationRegistersItsProviderAndHelpersAreAllowed() throws Exception {
        var found = read("acme.camel.yaml", """
                - route:
                    from:
                      uri: direct:sms-acme
                      steps:
                        - to: direct:acme-helper
                - route:
                    id: acme-helper
                    from:
                      uri: direct:acme-helper
                      steps:
                        - log: sent
                """);

        assertThat(found.problems()).isEmpty();
        assertThat(found.modules()).singleElement().satisfies(module -> {
            assertThat(module.integration()).isEqualTo(Integration.SMS);
            assertThat(module.name()).isEqualTo("acme");
            assertThat(module.routeId()).isEqualTo("sms-acme");
            assertThat(module.remote()).as("it gets a breaker").isTrue();
        });
    }

    @Test
    void aConsumerOtherThanDirectIsRefusedNamingOnlyItsScheme() throws Exception {
        var found = read("open.yaml", """
                - route:
                    id: backdoor
                    from:
                      uri: "platform-http:/open?user=admin&password=hunter2"
                      steps:
                        - to: direct:email-send
                - route:
                    id: ticker
                    from:
                      uri: timer:tick
                      steps:
                        - log: tick
                """);

        assertThat(found.problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("backdoor").contains("'platform-http:'").contains("authentication"))
                .anySatisfy(p -> assertThat(p).contains("ticker").contains("'timer:'"))
                .allSatisfy(p -> assertThat(p).doesNotContain("hunter2"));
        assertThat(found.modules()).isEmpty();
    }

    @Test
    void onlyRoutesMayStandInAFile() throws Exception {
        var found = read("rest.yaml", """
                - rest:
                    path: /open
                - beans:
                    - name: x
                      type: java.lang.Object
                """);

        assertThat(found.problems()).hasSize(2).anySatisfy(p -> assertThat(p).contains("'rest' is not allowed"))
                .anySatisfy(p -> assertThat(p).contains("'beans' is not allowed"));
    }

    @Test
    void reservedAndBuiltInNamesStorageSearchAndTheGatewaysOwnRouteIdAreRefused() throws Exception {
        var found = read("bad.yaml", """
                - route:
                    from: { uri: direct:email-send }
                - route:
                    from: { uri: direct:email-sendgrid }
                - route:
                    from: { uri: direct:sms-acme-call }
                - route:
                    from: { uri: direct:storage-acme }
                - route:
                    id: email-acme
                    from: { uri: direct:email-acme }
                """);

        assertThat(found.problems()).hasSize(5)
                .anySatisfy(p -> assertThat(p).contains("'send' is a name the gateway uses itself"))
                .anySatisfy(p -> assertThat(p).contains("'sendgrid' is a name the gateway uses itself"))
                .anySatisfy(p -> assertThat(p).contains("'acme-call' is a name the gateway uses itself"))
                .anySatisfy(p -> assertThat(p).contains("custom providers are for email and sms"))
                .anySatisfy(p -> assertThat(p).contains("route id email-acme is the id of the gateway's own route"));
        assertThat(found.modules()).isEmpty();
    }

    @Test
    void startUpValidationAcceptsACustomProviderAndStillRefusesAnUnknownOneNamingTheKnown() throws Exception {
        Files.writeString(dir.resolve("email-acme.camel.yaml"), "- route:\n    from: { uri: direct:email-acme }\n");
        Map<String, String> base = Map.of("features.email-enabled", "true", "email.from-address", "a@b.com",
                "gateway.routes-dir", dir.toString(), "email.provider", "acme");
        assertThat(StartupValidator.problems(new Settings(key -> Optional.ofNullable(base.get(key))))).isEmpty();

        Map<String, String> asFallback = new java.util.HashMap<>(base);
        asFallback.putAll(Map.of("email.provider", "outbox", "email.fallback-providers", "acme"));
        assertThat(StartupValidator.problems(new Settings(key -> Optional.ofNullable(asFallback.get(key))))).isEmpty();

        Map<String, String> unknown = new java.util.HashMap<>(base);
        unknown.put("email.provider", "pigeon");
        assertThat(StartupValidator.problems(new Settings(key -> Optional.ofNullable(unknown.get(key)))))
                .anySatisfy(p -> assertThat(p).startsWith("email.provider (EMAIL__PROVIDER): 'pigeon' is not a provider of email")
                        .contains("acme"));
    }
}
