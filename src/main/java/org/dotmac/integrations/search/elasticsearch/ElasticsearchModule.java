package org.dotmac.integrations.search.elasticsearch;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.component.es.ElasticsearchComponent;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProblemReport;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.search.SearchClients;
import org.dotmac.integrations.search.SearchEngineSettings;

/** Elasticsearch 9 through camel-elasticsearch's Java client. */
public final class ElasticsearchModule implements ProviderModule {

    @Override
    public Integration integration() {
        return Integration.SEARCH;
    }

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public List<String> platformFlags() {
        return List.of("features.search-elasticsearch-enabled");
    }

    @Override
    public List<Setting> settings() {
        List<Setting> settings = new ArrayList<>(SearchEngineSettings.of("elasticsearch", "Elasticsearch"));
        // an API key wins over user and password, and is not read from Vault while they are configured
        settings.add(2, Setting.of("search.elasticsearch.api-key", "", "API key; wins over user and password").secret()
                .vault("search/elasticsearch", "api_key", s -> s.get("search.elasticsearch.username").isEmpty(),
                        "not with a username set"));
        return List.copyOf(settings);
    }

    @Override
    public void check(Settings settings, ProblemReport report) {
        SearchEngineSettings.checkLimits(settings, report);
    }

    @Override
    public void bind(ProviderBinding binding) {
        binding.bind("elasticsearchSearch", new ElasticsearchSearch());
        var client = SearchClients.elasticsearch(binding.settings());
        binding.context().getComponent("elasticsearch", ElasticsearchComponent.class).setClient(client);
        binding.credentialCheck(SearchClients.credentialCheck(client));
    }
}
