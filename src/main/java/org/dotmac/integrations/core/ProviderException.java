package org.dotmac.integrations.core;

import java.util.List;

/**
 * A provider's failure, classified by what can be done about it: the caller's request was
 * rejected (4xx, permanent), our configuration is wrong (502, permanent until fixed), or the
 * provider is unavailable or slow (503/504, transient: worth retrying).
 */
public class ProviderException extends ProblemException {

    public enum Kind {
        REJECTED, MISCONFIGURED, UNAVAILABLE
    }

    private final String provider;
    private final Kind kind;
    private final boolean credentialsRefused;

    ProviderException(String provider, Kind kind, int status, String title, String detail, List<FieldError> errors) {
        this(provider, kind, status, title, detail, errors, false);
    }

    ProviderException(String provider, Kind kind, int status, String title, String detail, List<FieldError> errors,
            boolean credentialsRefused) {
        super(status, title, detail, errors, kind == Kind.UNAVAILABLE);
        this.provider = provider;
        this.kind = kind;
        this.credentialsRefused = credentialsRefused;
    }

    /** The provider refused the request for a reason in the request itself. */
    public static ProviderException rejected(String provider, int status, String detail, List<FieldError> errors) {
        return new ProviderException(provider, Kind.REJECTED, status, "Rejected by " + provider, detail, errors);
    }

    /** The provider refused our credentials or account: an operator must act. */
    public static ProviderException misconfigured(String provider, String detail) {
        return new ProviderMisconfiguredException(provider, detail, false);
    }

    /**
     * The provider refused our credentials (or they are missing): misconfigured, and re-checked in the
     * background by the provider's {@link CredentialCheck} until it accepts them again.
     */
    public static ProviderException credentialsRefused(String provider, String detail) {
        return new ProviderMisconfiguredException(provider, detail, true);
    }

    /** The provider is down, overloaded or unreachable: the same request may succeed later. */
    public static ProviderException unavailable(String provider, String detail) {
        return unavailable(provider, detail, 0);
    }

    /** As {@link #unavailable(String, String)}, with the provider's Retry-After in milliseconds. */
    public static ProviderException unavailable(String provider, String detail, long retryAfterMillis) {
        return new ProviderUnavailableException(provider, 503, "Service Unavailable", detail, retryAfterMillis);
    }

    /** The provider did not answer in time: the same request may succeed later. */
    public static ProviderException timedOut(String provider, String detail) {
        return new ProviderUnavailableException(provider, 504, "Gateway Timeout", detail, 0);
    }

    public String provider() {
        return provider;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether this failure is a refusal of our credentials, which a {@link CredentialCheck} can re-check. */
    public boolean credentialsRefused() {
        return credentialsRefused;
    }
}
