package org.dotmac.integrations.core;

/** The broker cannot take a request now: nothing was accepted, and the caller may repeat it (503, Retry-After). */
public class BrokerUnavailableException extends ProblemException {

    public static final int RETRY_AFTER_SECONDS = 5;

    public BrokerUnavailableException() {
        super(503, "Service Unavailable", "the message broker is unreachable, so the request was not accepted; repeat it");
    }
}
