package org.dotmac.integrations.notification;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a provider did with a notification: {@code status} is the gateway's ({@code sent}, {@code captured},
 * {@code queued}), {@code providerStatus} the provider's own where it gives one (Twilio's {@code queued}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationResult(String id, String status, String provider, String providerMessageId, String providerStatus) {

    public NotificationResult(String id, String status, String provider, String providerMessageId) {
        this(id, status, provider, providerMessageId, null);
    }

    public static NotificationResult queued(String id) {
        return new NotificationResult(id, "queued", null, null);
    }
}
