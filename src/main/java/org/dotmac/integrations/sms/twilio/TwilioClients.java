package org.dotmac.integrations.sms.twilio;

import java.net.URI;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.routing.HttpRoutePlanner;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.dotmac.integrations.core.Settings;

/**
 * The Twilio REST client camel-twilio uses: the account's credentials (auth token, or an API key
 * and secret), timeouts, one pooled connection set, and {@code sms.twilio.base-url} as the host
 * every SDK request goes to, so that a test server (or a regional edge) can stand in for Twilio.
 */
public final class TwilioClients {

    public static final String DEFAULT_BASE_URL = "https://api.twilio.com";

    private TwilioClients() {
    }

    public static TwilioRestClient create(Settings settings) {
        String accountSid = settings.get("sms.twilio.account-sid").orElseThrow();
        var apiKey = settings.get("sms.twilio.api-key-sid");
        TwilioRestClient.Builder builder = apiKey.isPresent()
                ? new TwilioRestClient.Builder(apiKey.get(), settings.get("sms.twilio.api-key-secret").orElseThrow())
                        .accountSid(accountSid)
                : new TwilioRestClient.Builder(accountSid, settings.get("sms.twilio.auth-token").orElseThrow());
        URI base = URI.create(settings.get("sms.twilio.base-url", DEFAULT_BASE_URL));
        HttpHost target = new HttpHost(base.getScheme(), base.getHost(),
                base.getPort() > 0 ? base.getPort() : base.getScheme().equals("https") ? 443 : 80);
        Timeout connect = Timeout.ofMilliseconds(settings.getInt("sms.twilio.connect-timeout", 5000));
        Timeout read = Timeout.ofMilliseconds(settings.getInt("sms.twilio.read-timeout", 30000));
        HttpClientBuilder http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect).setSocketTimeout(read).build())
                        .setMaxConnTotal(50).setMaxConnPerRoute(50)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read).build())
                .disableAutomaticRetries()
                // the SDK hides response headers: keep Twilio's Retry-After for this thread's failure
                .addResponseInterceptorLast((response, entity, context) -> {
                    var header = response.getFirstHeader("Retry-After");
                    RETRY_AFTER.set(header == null ? null : header.getValue());
                })
                // the SDK builds https://api.twilio.com/... URLs: send them to the configured host instead
                .setRoutePlanner(new HttpRoutePlanner() {
                    @Override
                    public HttpRoute determineRoute(HttpHost host, HttpContext context) {
                        return new HttpRoute(target, null, target.getSchemeName().equals("https"));
                    }
                });
        return builder.httpClient(new SingleAttemptHttpClient(http)).build();
    }

    /** Twilio's Retry-After of the last answer on this thread (the camel-twilio producer calls on the route's thread). */
    private static final ThreadLocal<String> RETRY_AFTER = new ThreadLocal<>();

    /** The Retry-After of the answer to the last call made on this thread, in milliseconds; 0 when none. */
    static long lastRetryAfterMillis() {
        return org.dotmac.integrations.core.ProviderUnavailableException.parseRetryAfter(RETRY_AFTER.get());
    }

    /** Retrying is the gateway's decision: the SDK's own retries could send a message twice. */
    static final class SingleAttemptHttpClient extends NetworkHttpClient {

        SingleAttemptHttpClient(HttpClientBuilder builder) {
            super(builder);
        }

        @Override
        public Response reliableRequest(Request request) {
            RETRY_AFTER.remove();
            return makeRequest(request);
        }

        @Override
        public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
            RETRY_AFTER.remove();
            return makeRequest(request);
        }
    }
}
