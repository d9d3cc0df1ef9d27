package org.dotmac.integrations.health;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.dotmac.integrations.core.CredentialCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-checks, every interval and without traffic, each integration in ERROR because its provider
 * refused the gateway's credentials: the provider's {@link CredentialCheck} (registry name
 * {@code credentials-<integration>-<provider>}) accepting them again clears the alert, so a key fixed
 * in Vault turns the integration READY without a request and without a restart. A check that cannot
 * tell (403: the credentials may not make that call; no answer) leaves the alert as it is.
 */
public class CredentialRecheck extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialRecheck.class);

    private final CamelContext context;
    private final ProviderAlerts alerts;
    private final MeterRegistry meters;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public CredentialRecheck(CamelContext context, ProviderAlerts alerts, MeterRegistry meters, Duration interval) {
        this.context = context;
        this.alerts = alerts;
        this.meters = meters;
        this.interval = interval;
    }

    @Override
    protected void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("credential-recheck").daemon().factory());
        timer.scheduleWithFixedDelay(this::recheckAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** The registry name of a provider's check, by its route id ({@code <integration>-<provider>}). */
    public static String beanName(String providerRouteId) {
        return "credentials-" + providerRouteId;
    }

    void recheckAll() {
        for (Map.Entry<String, ProviderAlerts.Alert> entry : alerts.all().entrySet()) {
            if (entry.getValue().credentials()) {
                try {
                    recheck(entry.getKey(), entry.getValue());
                } catch (RuntimeException e) {
                    LOG.warn("Re-checking the credentials of {} failed: {}", entry.getKey(), e.getClass().getSimpleName());
                }
            }
        }
    }

    private void recheck(String integration, ProviderAlerts.Alert alert) {
        CredentialCheck check = context.getRegistry().lookupByNameAndType(
                beanName(integration + "-" + alert.provider()), CredentialCheck.class);
        if (check == null) {
            return;
        }
        CredentialCheck.Outcome outcome;
        try {
            outcome = check.check();
        } catch (Exception e) {
            // the exception's message may carry a URL or a provider's echo: its type says enough
            outcome = CredentialCheck.Outcome.unknown("the check failed (" + e.getClass().getSimpleName() + ")");
        }
        Counter.builder("gateway.credential.rechecks")
                .description("Background re-checks of refused provider credentials, by verdict")
                .tags("integration", integration, "provider", alert.provider(), "verdict",
                        outcome.verdict().name().toLowerCase(java.util.Locale.ROOT))
                .register(meters).increment();
        String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        switch (outcome.verdict()) {
            case ACCEPTED -> {
                if (alerts.clear(integration, alert)) {
                    LOG.info("{}: {} accepts the gateway's credentials again ({}); the integration is READY",
                            integration, alert.provider(), outcome.detail());
                }
            }
            case REFUSED -> alerts.noteRecheck(integration, alert, "still refused at " + at + " (" + outcome.detail() + ")");
            case UNKNOWN -> alerts.noteRecheck(integration, alert, "inconclusive at " + at + " (" + outcome.detail() + ")");
        }
    }
}
