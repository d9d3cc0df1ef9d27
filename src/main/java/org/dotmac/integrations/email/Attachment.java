package org.dotmac.integrations.email;

/**
 * A file sent with an email: its bytes (base64 in JSON, decoded straight from the request body: held as
 * text, a 28 MB attachment took twice its size in chars while it was read), a file name and an optional
 * media type.
 */
public record Attachment(byte[] content, String filename, String type) {
}
