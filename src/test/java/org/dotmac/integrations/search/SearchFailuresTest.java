package org.dotmac.integrations.search;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import org.apache.camel.CamelExchangeException;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How an engine's answer or a failure to get one becomes the caller's problem. */
class SearchFailuresTest {

    private static ProviderException provider(ProblemException problem) {
        assertThat(problem).isInstanceOf(ProviderException.class);
        return (ProviderException) problem;
    }

    @Test
    void aMissingIndexIs404NamingIt() {
        ProblemException problem = SearchFailures.classify("elasticsearch", "books", 404, "index_not_found");
        assertThat(problem).isNotInstanceOf(ProviderException.class);
        assertThat(problem.status()).isEqualTo(404);
        assertThat(problem.detail()).isEqualTo("index books does not exist");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void refusedCredentialsAreTheOperatorsToFix(int status) {
        ProviderException problem = provider(SearchFailures.classify("opensearch", "books", status, "no"));
        assertThat(problem.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(problem.credentialsRefused()).isTrue();
        assertThat(problem.status()).isEqualTo(502);
        assertThat(problem.detail()).contains("HTTP " + status).contains("search.opensearch.*");
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 599, 0, -1})
    void overloadServerErrorsAndNoStatusAreTransient(int status) {
        ProviderException problem = provider(SearchFailures.classify("elasticsearch", "books", status, "busy"));
        assertThat(problem).isInstanceOf(ProviderUnavailableException.class);
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.detail()).contains("HTTP " + status).contains("busy");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 405, 422, 499})
    void otherClientErrorsAreTheCallers400WithTheEnginesReason(int status) {
        ProviderException problem = provider(SearchFailures.classify("elasticsearch", "books", status, "bad query"));
        assertThat(problem.kind()).isEqualTo(ProviderException.Kind.REJECTED);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("query");
            assertThat(error.message()).isEqualTo("bad query");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {409, 413})
    void aConflictAndATooLargeRequestKeepTheirStatus(int status) {
        assertThat(SearchFailures.classify("elasticsearch", "books", status, "x").status()).isEqualTo(status);
    }

    @Test
    void aMissingReasonIsSaidAndALongOneCutWithoutControlCharacters() {
        assertThat(SearchFailures.classify("elasticsearch", "b", 400, null).detail()).endsWith("no reason given");
        assertThat(SearchFailures.classify("elasticsearch", "b", 400, "  ").detail()).endsWith("no reason given");
        String cut = SearchFailures.classify("elasticsearch", "b", 400, "a\nb" + "x".repeat(400)).detail();
        assertThat(cut).contains("a b").endsWith("...").doesNotContain("\n");
        String exact = SearchFailures.classify("elasticsearch", "b", 400, "y".repeat(300)).detail();
        assertThat(exact).endsWith("y".repeat(300)).doesNotEndWith("...");
    }

    @Test
    void aTimeoutIs504() {
        assertThat(SearchFailures.transport("meilisearch", new SocketTimeoutException()).status()).isEqualTo(504);
        assertThat(SearchFailures.transport("meilisearch", new TimeoutException()).status()).isEqualTo(504);
    }

    @Test
    void aFailedTlsHandshakeIsTheOperatorsToFixNotTransient() {
        ProviderException problem = provider(SearchFailures.transport("elasticsearch", new SSLHandshakeException("untrusted")));
        assertThat(problem.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(problem.detail()).contains("SSLHandshakeException").contains("search.elasticsearch.hosts");
    }

    @Test
    void anIoFailureOrAnythingElseIsTransient() {
        ProviderException io = provider(SearchFailures.transport("elasticsearch", new IOException("reset")));
        assertThat(io).isInstanceOf(ProviderUnavailableException.class);
        assertThat(io.detail()).contains("could not be reached").contains("IOException");
        ProviderException other = provider(SearchFailures.transport("elasticsearch", new IllegalStateException()));
        assertThat(other).isInstanceOf(ProviderUnavailableException.class);
        assertThat(other.detail()).contains("failed").contains("IllegalStateException");
    }

    @Test
    void unwrapFindsTheClientsExceptionUnderCamelsAndTheFuturesWrappers() {
        IOException engine = new IOException("engine");
        Throwable wrapped = new CamelExchangeException("camel", null,
                new CompletionException(new ExecutionException(engine)));
        assertThat(SearchFailures.unwrap(wrapped)).isSameAs(engine);
        assertThat(SearchFailures.unwrap(engine)).isSameAs(engine);
        CompletionException empty = new CompletionException("no cause", null);
        assertThat(SearchFailures.unwrap(empty)).isSameAs(empty);
    }
}
