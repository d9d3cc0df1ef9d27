package org.dotmac.integrations.notification;

import org.dotmac.integrations.notification.StatusTransitions.Event;

/**
 * One event a provider reported about a message it took (a webhook's item), before it is matched to a
 * notification: by the gateway's id when the provider echoes it, else by the provider's message id.
 *
 * @param dedupeKey the provider's event id (or what stands for one), so that a repeated delivery changes nothing
 * @param providerEvent the provider's own name for the event or status
 */
public record ProviderEvent(String notificationId, String providerMessageId, Event event, String providerEvent,
        String dedupeKey, long at, String detail) {
}
