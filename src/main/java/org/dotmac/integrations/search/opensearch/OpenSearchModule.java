package org.dotmac.integrations.search.opensearch;

import java.util.List;

import org.apache.camel.component.opensearch.OpensearchComponent;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProblemReport;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.search.SearchClients;
import org.dotmac.integrations.search.SearchEngineSettings;

/** OpenSearch 2.x/3.x through camel-opensearch (user and password; OpenSearch has no API keys). */
public final class OpenSearchModule implements ProviderModule {

    @Override
    public Integration integration() {
        return Integration.SEARCH;
    }

    @Override
    public String name() {
        return "opensearch";
    }

    @Override
    public List<Setting> settings() {
        return SearchEngineSettings.of("opensearch", "OpenSearch");
    }

    @Override
    public void check(Settings settings, ProblemReport report) {
        SearchEngineSettings.checkLimits(settings, report);
    }

    @Override
    public void bind(ProviderBinding binding) {
        binding.bind("openSearchSearch", new OpenSearchSearch());
        var client = SearchClients.opensearch(binding.settings());
        binding.context().getComponent("opensearch", OpensearchComponent.class).setClient(client);
        binding.credentialCheck(SearchClients.credentialCheck(client));
    }
}
