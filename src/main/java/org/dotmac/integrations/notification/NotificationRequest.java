package org.dotmac.integrations.notification;

/** The platform's generic notification call: routed by {@code type} to email or SMS. */
public record NotificationRequest(String type, String recipient, String message, String subject) {
}
