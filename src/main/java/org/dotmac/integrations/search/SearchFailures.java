package org.dotmac.integrations.search;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.camel.CamelExchangeException;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;

/**
 * An engine's answer to a failed call, classified once for every provider: what the caller must
 * change (4xx with the engine's reason), what an operator must fix (credentials: 502), and what may
 * succeed later (429, 5xx, I/O: 503 or 504, retried by the queue and counted by the breaker).
 */
public final class SearchFailures {

    private SearchFailures() {
    }

    public static ProblemException classify(String provider, String index, int status, String reason) {
        String detail = reason == null || reason.isBlank() ? "no reason given" : abbreviate(reason);
        if (status == 404) {
            return new ProblemException(404, "Not Found", "index " + index + " does not exist");
        }
        if (status == 401 || status == 403) {
            return ProviderException.credentialsRefused(provider, provider + " refused the gateway's credentials (HTTP "
                    + status + "): check search." + provider + ".*");
        }
        if (status == 429 || status >= 500 || status <= 0) {
            return ProviderException.unavailable(provider, provider + " is unavailable (HTTP " + status + "): " + detail);
        }
        return ProviderException.rejected(provider, status == 409 || status == 413 ? status : 400,
                provider + " rejected the request: " + detail,
                List.of(new ProblemException.FieldError("query", detail)));
    }

    /** A failure that carries no engine answer: I/O, a timeout, or something unexpected. */
    public static ProblemException transport(String provider, Throwable failure) {
        if (failure instanceof SocketTimeoutException || failure instanceof java.util.concurrent.TimeoutException) {
            return ProviderException.timedOut(provider, provider + " did not answer in time");
        }
        if (failure instanceof javax.net.ssl.SSLException) {
            // an untrusted certificate or a plain-HTTP engine does not heal by itself: an operator's fix
            return ProviderException.misconfigured(provider, "the TLS handshake with " + provider + " failed ("
                    + failure.getClass().getSimpleName() + "): check search." + provider + ".hosts, .tls and .ca-certificate");
        }
        if (failure instanceof IOException) {
            return ProviderException.unavailable(provider, provider + " could not be reached: "
                    + failure.getClass().getSimpleName());
        }
        return ProviderException.unavailable(provider, provider + " failed: " + failure.getClass().getSimpleName());
    }

    /** The engine client's own exception under Camel's and the futures' wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CamelExchangeException || current instanceof CompletionException
                || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String abbreviate(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > 300 ? clean.substring(0, 300) + "..." : clean;
    }
}
