package org.dotmac.integrations.search.meilisearch;

import java.util.List;

import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProblemReport;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.search.SearchEngineSettings;

/** Meilisearch over its HTTP API (camel-http); writes wait for Meilisearch's task. */
public final class MeilisearchModule implements ProviderModule {

    @Override
    public Integration integration() {
        return Integration.SEARCH;
    }

    @Override
    public String name() {
        return "meilisearch";
    }

    @Override
    public List<String> platformFlags() {
        return List.of("features.search-meilisearch-enabled");
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("search.meilisearch.url", "", "e.g. `http://127.0.0.1:7700`").required()
                        .matching("^https?://[^/\\s]+/?$", "an http(s) URL without a path; e.g. http://127.0.0.1:7700"),
                Setting.of("search.meilisearch.api-key", "", "API key").secret().vault("search/meilisearch", "api_key"),
                Setting.of("search.meilisearch.connect-timeout", "5000", "connect timeout, ms").milliseconds(),
                Setting.of("search.meilisearch.read-timeout", "30000", "time to wait for Meilisearch's answer, ms")
                        .milliseconds(),
                Setting.of("search.meilisearch.task-timeout", "10000",
                        "how long a write waits for its task, ms (then 202 with the task's uid)").range(0, 600_000),
                Setting.of("search.meilisearch.task-poll-interval", "50", "how often a waiting write asks, ms")
                        .range(1, 60_000));
    }

    @Override
    public void check(Settings settings, ProblemReport report) {
        SearchEngineSettings.checkLimits(settings, report);
    }

    @Override
    public void bind(ProviderBinding binding) {
        MeilisearchSearch meilisearch = new MeilisearchSearch(binding.settings());
        binding.bind("meilisearchSearch", meilisearch);
        binding.credentialCheck((CredentialCheck) meilisearch::checkCredentials);
    }
}
