package org.dotmac.integrations.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dotmac.integrations.core.ProblemReport;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;

/** The settings Elasticsearch and OpenSearch share, under {@code search.<engine>.}. */
public final class SearchEngineSettings {

    private SearchEngineSettings() {
    }

    public static List<Setting> of(String engine, String name) {
        String p = "search." + engine + ".";
        List<Setting> settings = new ArrayList<>();
        settings.add(Setting.of(p + "hosts", "", "`host:port[,host:port]`, e.g. `127.0.0.1:9200`; `https://host:port` for TLS")
                .required().check(SearchEngineSettings::hostsProblem));
        settings.add(Setting.of(p + "tls", "false", "https for hosts given without a scheme").flag());
        settings.add(Setting.of(p + "username", "", "user of basic authentication"));
        settings.add(Setting.of(p + "password", "", "the user's password")
                .requiredWhen(s -> s.get(p + "username").isPresent(), "and " + p + "username is set")
                .secret().vault("search/" + engine, "password", s -> s.get(p + "username").isPresent(),
                        "with " + p + "username set"));
        settings.add(Setting.of(p + "ca-certificate", "", "PEM file of a CA to trust instead of the JVM's")
                .check(path -> Files.isReadable(Path.of(path)) ? Optional.empty()
                        : Optional.of("'" + path + "' is not a readable file")));
        settings.add(Setting.of(p + "connect-timeout", "5000", "connect timeout, ms").milliseconds());
        settings.add(Setting.of(p + "read-timeout", "30000", "time to wait for " + name + "'s answer, ms").milliseconds());
        return settings;
    }

    private static Optional<String> hostsProblem(String hosts) {
        for (String host : hosts.split(",")) {
            if (!host.trim().matches("^(https?://)?[^/\\s:]+(:\\d{1,5})?/?$")) {
                return Optional.of("'" + host.trim() + "' is not host:port (optionally with http:// or https://)");
            }
        }
        return Optional.empty();
    }

    /** The integration's own limits, checked whichever engine is in use. */
    public static void checkLimits(Settings settings, ProblemReport report) {
        for (Setting limit : List.of(Setting.of("search.max-size", "", "").range(1, 10_000),
                Setting.of("search.default-size", "", "").range(0, 10_000),
                Setting.of("search.bulk-max-documents", "", "").range(1, 100_000))) {
            settings.get(limit.key()).flatMap(limit.check()).ifPresent(problem -> report.report(limit.key(), problem));
        }
    }
}
