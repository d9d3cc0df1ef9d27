package org.dotmac.integrations.notification;

import org.apache.camel.Exchange;

/**
 * One kind of notification (email, SMS): how its request is read and checked, and how the platform's
 * generic call {type, recipient, message, subject?} maps onto it. The integration packages implement
 * it, so what every notification shares knows no type's fields.
 */
public interface NotificationType {

    /** The {@code type} of the generic call, and the integration's name: "email", "sms". */
    String name();

    /** The exchange's body as this type's validated request; a 400 problem naming every bad field. */
    Object read(Exchange exchange);

    /** The generic call as this type's request, not yet validated; a 400 problem for a field it cannot take. */
    Object fromGeneric(NotificationRequest request);

    /** The generic call's name for one of this type's fields, so that its problems name what the caller sent. */
    String genericField(String field);
}
