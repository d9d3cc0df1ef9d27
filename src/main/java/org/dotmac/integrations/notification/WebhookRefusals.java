package org.dotmac.integrations.notification;

import io.micrometer.core.instrument.MeterRegistry;
import org.dotmac.integrations.core.ProblemException;

/** A provider webhook's refused authentication: a 401 problem, counted by provider. */
public final class WebhookRefusals {

    private final MeterRegistry meters;
    private final String provider;

    public WebhookRefusals(MeterRegistry meters, String provider) {
        this.meters = meters;
        this.provider = provider;
    }

    /** Runs the signature check; a refusal it throws is counted in gateway_webhook_signature_failures_total. */
    public void check(Runnable verification) {
        try {
            verification.run();
        } catch (ProblemException e) {
            if (e.status() == 401) {
                meters.counter("gateway_webhook_signature_failures", "provider", provider).increment();
            }
            throw e;
        }
    }

    public static ProblemException refused(String detail) {
        return new ProblemException(401, "Unauthorized", detail);
    }
}
