package org.dotmac.integrations.core;

import java.util.List;

/**
 * A failure with an RFC 9457 problem description. Its status says whose fault it is: 4xx the
 * caller's (permanent, never retried), 5xx ours or a provider's.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final boolean retryable;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public ProblemException(int status, String title, String detail, List<FieldError> errors) {
        this(status, title, detail, errors, status >= 500);
    }

    protected ProblemException(int status, String title, String detail, List<FieldError> errors, boolean retryable) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryable = retryable;
    }

    public static ProblemException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid: " + String.join(", ", errors.stream().map(FieldError::field).toList());
        return new ProblemException(400, "Invalid request", detail, errors);
    }

    /** The request itself when it has no problem; else a 400 naming every field in {@code errors}. */
    public static <T> T unlessInvalid(T request, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return request;
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Retrying the same request now cannot succeed (the caller's fault, or our configuration's). */
    public boolean isPermanent() {
        return !retryable;
    }

    public record FieldError(String field, String message) {
    }
}
