package org.dotmac.integrations.core;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform's rule: "__" → ".", "_" → "-", lower case; applied to every key, in both directions. */
class PlatformEnvironmentSourceTest {

    @ParameterizedTest
    @CsvSource({
            "EMAIL__FROM_ADDRESS, email.from-address",
            "FEATURES__EMAIL_ENABLED, features.email-enabled",
            "EMAIL__SENDGRID__BASE_URL, email.sendgrid.base-url",
            "FEATURES__STORAGE_MINIO_ENABLED, features.storage-minio-enabled",
            "FEATURES__SEARCH_ELASTICSEARCH_ENABLED, features.search-elasticsearch-enabled",
            "STORAGE__BUCKET, storage.bucket",
            "GATEWAY__DATA_DIR, gateway.data-dir",
            "JMS__BROKER_URL, jms.broker-url"})
    void mapsPlatformNamesToPropertyKeysAndBack(String environmentName, String key) {
        assertThat(PlatformEnvironmentSource.propertyKey(environmentName)).isEqualTo(key);
        assertThat(PlatformEnvironmentSource.environmentName(key)).isEqualTo(environmentName);
    }

    @Test
    void answersLookupsOfAnyKeyFromTheEnvironment() {
        var source = new PlatformEnvironmentSource(Map.of(
                "EMAIL__FROM_ADDRESS", "ops@example.com",
                "SOME__NEW_KEY", "x",
                "EMAIL__FROM_NAME", ""));

        assertThat(source.getProperty("email.from-address")).isEqualTo("ops@example.com");
        assertThat(source.getProperty("some.new-key")).isEqualTo("x");
        assertThat(source.getProperty("email.from-name")).as("empty counts as unset").isNull();
        assertThat(source.getProperty("email.provider")).isNull();
    }

    @Test
    void loadsOnlyDoubleUnderscoreNames() {
        var source = new PlatformEnvironmentSource(Map.of("EMAIL__PROVIDER", "outbox", "PATH", "/bin", "HOME", "/root"));

        assertThat(source.loadProperties()).containsOnlyKeys("email.provider");
    }
}
