package org.dotmac.integrations.notification;

/** A file sent with an email: base64 content, a file name and an optional media type. */
public record Attachment(String content, String filename, String type) {
}
