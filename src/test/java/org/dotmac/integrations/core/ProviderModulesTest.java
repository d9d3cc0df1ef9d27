package org.dotmac.integrations.core;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider registry and what is derived from its descriptors: every module has its route file,
 * is activated by its computed property, describes every provider setting its route reads, and the
 * README's provider settings are the descriptors' rendering.
 */
class ProviderModulesTest {

    static final Path README = Path.of("README.md");
    static final Path ROUTES = Path.of("src/main/resources/routes");
    static final String BEGIN = "<!-- provider settings: rendered from the modules' descriptors (ProviderModulesTest) -->";
    static final String END = "<!-- end of provider settings -->";
    static final String VAULT_BEGIN = "<!-- vault catalog: rendered from the modules' descriptors (ProviderModulesTest) -->";
    static final String VAULT_END = "<!-- end of vault catalog -->";

    @Test
    void everyIntegrationHasItsDefaultProviderAmongItsModules() {
        for (Integration integration : Integration.values()) {
            assertThat(Providers.find(integration, integration.defaultProvider())).as(integration.id()).isPresent();
        }
        assertThat(Providers.all()).extracting(ProviderModule::routeId).containsExactly(
                "email-outbox", "email-sendgrid", "email-smtp", "email-ses", "sms-outbox", "sms-twilio", "sms-sns", "storage-file", "storage-s3",
                "search-elasticsearch", "search-opensearch", "search-meilisearch");
    }

    @Test
    void eachModuleHasARouteFileActivatedByItsComputedProperty() throws Exception {
        for (ProviderModule module : Providers.all()) {
            String id = module.routeId();
            Path file = ROUTES.resolve(id + ".camel.yaml");
            assertThat(file).as(id).isRegularFile();
            String text = Files.readString(file);
            boolean templated = text.contains("routeTemplateRef: provider-call");
            assertThat(templated).as(id + ": a remote provider is called through the provider-call template")
                    .isEqualTo(module.remote());
            if (templated) {
                assertThat(text).contains("routeId: " + id + "\n").contains("{ name: id, value: " + id + " }")
                        .contains("uri: direct:" + id + "-call\n");
            } else {
                assertThat(text).contains("id: " + id + "\n").contains("uri: direct:" + id + "\n");
            }
            // every route of the file starts with its module, and on nothing else
            String precondition = "precondition: \"{{gateway.active." + id + "}}\"";
            assertThat(text.split("precondition:", -1).length).as(id).isEqualTo(text.split(Pattern.quote(precondition), -1).length)
                    .isGreaterThan(1);
        }
    }

    @Test
    void settingsAreDescribedOnceAndWellFormed() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Set<String> seen = new HashSet<>();
        for (ProviderModule module : Providers.all()) {
            for (Setting setting : module.allSettings()) {
                assertThat(seen.add(setting.key())).as(setting.key() + " described twice").isTrue();
                assertThat(setting.key()).startsWith(module.integration().id() + ".");
                assertThat(setting.meaning()).as(setting.key()).isNotBlank();
                assertThat(properties).as(setting.key() + ": its default is its descriptor's, not application.properties'")
                        .doesNotContainKey(setting.key());
                if (setting.isSecret()) {
                    assertThat(setting.defaultValue()).as(setting.key() + " is a secret with a default").isEmpty();
                }
                if (setting.hasDefault()) {
                    assertThat(setting.check().apply(setting.defaultValue())).as(setting.key() + "'s default passes its check")
                            .isEmpty();
                }
            }
        }
        for (String key : properties.stringPropertyNames()) {
            for (ProviderModule module : Providers.all()) {
                assertThat(key).as("a setting of " + module.routeId() + " left in application.properties")
                        .doesNotStartWith(module.integration().id() + "." + module.name() + ".");
            }
        }
    }

    @Test
    void everyProviderSettingARouteReadsIsDescribed() throws Exception {
        Set<String> described = Providers.all().stream().flatMap(m -> m.allSettings().stream()).map(Setting::key)
                .collect(Collectors.toSet());
        Pattern placeholder = Pattern.compile("\\{\\{([a-z0-9.-]+)(:[^}]*)?}}");
        for (ProviderModule module : Providers.all()) {
            String route = Files.readString(ROUTES.resolve(module.routeId() + ".camel.yaml"));
            Matcher m = placeholder.matcher(route);
            while (m.find()) {
                String key = m.group(1);
                if (key.startsWith(module.integration().id() + "." + module.name() + ".")) {
                    assertThat(described).as(module.routeId() + " reads " + key).contains(key);
                }
            }
        }
    }

    @Test
    void theReadmesProviderSettingsAreTheDescriptors() throws Exception {
        String readme = Files.readString(README);
        String rendered = render();
        String vault = renderVault();
        if (Boolean.getBoolean("readme.write")) {
            readme = replace(replace(readme, BEGIN, END, rendered), VAULT_BEGIN, VAULT_END, vault);
            Files.writeString(README, readme);
        }
        assertThat(readme).as("README's provider settings differ from the descriptors; rewrite them with "
                + "mvn -q test -Dtest=ProviderModulesTest -Dreadme.write=true").contains(rendered).contains(vault);
    }

    private static String replace(String text, String begin, String end, String block) {
        return text.substring(0, text.indexOf(begin)) + block + text.substring(text.indexOf(end) + end.length());
    }

    /** README's Vault table: every secret a module reads from Vault, and when. */
    static String renderVault() {
        StringBuilder out = new StringBuilder(VAULT_BEGIN).append("\n| property | Vault path and field | read when |\n| --- | --- | --- |\n");
        for (ProviderModule module : Providers.all()) {
            for (Setting setting : module.settings()) {
                if (setting.vault() != null) {
                    out.append("| `").append(setting.key()).append("` | `").append(setting.vault().path()).append("` `")
                            .append(setting.vault().field()).append("` | ").append(module.integration().id())
                            .append(" is enabled on `").append(module.name()).append("`")
                            .append(setting.vault().words().isEmpty() ? "" : ", " + setting.vault().words())
                            .append(setting.vault().optional() ? "; optional: unset while the secret lacks the field, taken up by the next refresh once it is there" : "").append(" |\n");
                }
            }
        }
        return out.append("| `gateway.api-keys` | `gateway/api-keys` `keys` (comma-separated) | always, while Vault is on |\n")
                .append(VAULT_END).toString();
    }

    static String render() {
        StringBuilder out = new StringBuilder(BEGIN).append('\n');
        for (Integration integration : Integration.values()) {
            for (ProviderModule module : Providers.of(integration)) {
                if (module.allSettings().isEmpty()) {
                    continue;
                }
                out.append("\n**").append(integration.id()).append(" · ").append(module.name()).append("**");
                if (!module.platformFlags().isEmpty()) {
                    out.append(" (selectable while ").append(module.platformFlags().stream()
                            .map(f -> "`" + PlatformEnvironmentSource.environmentName(f) + "=true`")
                            .collect(Collectors.joining(" or "))).append(")");
                }
                out.append("\n\n| key | environment | default | meaning |\n| --- | --- | --- | --- |\n");
                for (Setting setting : module.allSettings()) {
                    List<String> notes = new ArrayList<>();
                    if (setting.requirement() == Setting.Requirement.ALWAYS) {
                        notes.add("required");
                    } else if (setting.requirement() != Setting.Requirement.NEVER) {
                        notes.add("required " + setting.requirement().words().replaceFirst("^and ", "when "));
                    }
                    if (setting.isSecret()) {
                        notes.add("secret");
                    }
                    if (setting.vault() != null) {
                        notes.add("Vault `secret/" + setting.vault().path() + "` `" + setting.vault().field() + "`");
                    }
                    out.append("| `").append(setting.key()).append("` | `").append(setting.environmentName()).append("` | ")
                            .append(setting.hasDefault() ? "`" + setting.defaultValue() + "`" : "empty").append(" | ")
                            .append(setting.meaning()).append(notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")")
                            .append(" |\n");
                }
            }
        }
        return out.append('\n').append(END).toString();
    }
}
