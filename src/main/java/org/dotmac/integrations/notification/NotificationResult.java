package org.dotmac.integrations.notification;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a provider did with a notification. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationResult(String id, String status, String provider, String providerMessageId) {

    public static NotificationResult queued(String id) {
        return new NotificationResult(id, "queued", null, null);
    }
}
