package org.dotmac.integrations.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a message that could not be delivered is parked, for how long, and when it is dead-lettered instead. */
class ParkingDecisionsTest {

    private final Map<String, String> values = new HashMap<>(Map.of(
            "jms.park-delay", "1000", "jms.park-max-delay", "8000", "jms.park-limit", "5", "jms.park-max-age", "1h"));

    private Parking parking() {
        return new Parking(new Settings(key -> Optional.ofNullable(values.get(key))));
    }

    private static Exchange failed(Throwable failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        exchange.getMessage().setHeader("JMSDestination", "integrations.email");
        return exchange;
    }

    /** The delay the parking asked the broker for, in ms (the scheduled time less now). */
    private static long delay(Exchange exchange, long before) {
        return exchange.getMessage().getHeader(Parking.SCHEDULED_DELIVERY, Long.class) - before;
    }

    @Test
    void theDelayDoublesFromTheParkDelayUpToItsMaximum() {
        Exchange exchange = failed(ProviderException.unavailable("sendgrid", "down"));
        long[] expected = {1000, 2000, 4000, 8000, 8000};
        for (long wait : expected) {
            long before = System.currentTimeMillis();
            parking().park(exchange);
            assertThat(exchange.getMessage().getHeader(Parking.DECISION)).isEqualTo("park");
            assertThat(delay(exchange, before)).isBetween(wait - 50, wait + 50);
        }
        assertThat(exchange.getMessage().getHeader(Parking.COUNT, Integer.class)).isEqualTo(5);
        assertThat(exchange.getMessage().getHeader(Parking.QUEUE)).isEqualTo("integrations.email");
        assertThat(exchange.getMessage().getHeader(Parking.HISTORY, String.class).split(" \\| ")).hasSize(5)
                .allSatisfy(entry -> assertThat(entry).endsWith("down"));
    }

    @Test
    void pastTheParkLimitItIsDeadLettered() {
        Exchange exchange = failed(ProviderException.unavailable("sendgrid", "down"));
        exchange.getMessage().setHeader(Parking.COUNT, 5);
        parking().park(exchange);
        assertThat(exchange.getMessage().getHeader(Parking.DECISION)).isEqualTo("dead");
    }

    @Test
    void pastTheMaximumAgeSinceTheFirstParkingItIsDeadLettered() {
        Exchange exchange = failed(ProviderException.unavailable("sendgrid", "down"));
        exchange.getMessage().setHeader(Parking.FIRST_PARKED, System.currentTimeMillis() - 3_600_000);
        parking().park(exchange);
        assertThat(exchange.getMessage().getHeader(Parking.DECISION)).isEqualTo("dead");

        Exchange young = failed(ProviderException.unavailable("sendgrid", "down"));
        young.getMessage().setHeader(Parking.FIRST_PARKED, System.currentTimeMillis() - 3_500_000);
        parking().park(young);
        assertThat(young.getMessage().getHeader(Parking.DECISION)).isEqualTo("park");
    }

    @Test
    void aLongerRetryAfterIsHonouredButNeverBeyondTheMaximumAge() {
        Exchange asked = failed(ProviderException.unavailable("twilio", "slow down", 30_000));
        long before = System.currentTimeMillis();
        parking().park(asked);
        assertThat(delay(asked, before)).isBetween(29_950L, 30_050L);

        Exchange absurd = failed(ProviderException.unavailable("twilio", "come back next year", 365L * 24 * 3_600_000));
        before = System.currentTimeMillis();
        parking().park(absurd);
        assertThat(delay(absurd, before)).isBetween(3_599_950L, 3_600_050L);
    }

    @Test
    void aParkedCopyDropsTheCallersDuplicateIdAndKeepsItsQueueOrder() {
        Exchange exchange = failed(ProviderException.unavailable("sendgrid", "down"));
        exchange.getMessage().setHeader("_AMQ_DUPL_ID", "caller-key");
        exchange.setProperty(QueueOrder.PROPERTY, 42L);
        parking().park(exchange);
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey("_AMQ_DUPL_ID");
        assertThat(exchange.getMessage().getHeader(QueueOrder.HEADER)).isEqualTo(42L);
    }

    @Test
    void aRequesterIsToldItsRequestIsQueuedWithItsIdAndNothingElse() {
        Exchange exchange = failed(ProviderException.unavailable("sendgrid", "down"));
        exchange.getMessage().setHeader("NotificationId", "n-1");
        exchange.getMessage().setHeader("JMSReplyTo", "replies");
        parking().queuedReply(exchange);
        assertThat(exchange.getMessage().getBody(Map.class)).containsEntry("id", "n-1").containsEntry("status", "queued")
                .containsKey("detail");
        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys("NotificationId", Exchange.CONTENT_TYPE);

        Exchange anonymous = failed(ProviderException.unavailable("sendgrid", "down"));
        parking().queuedReply(anonymous);
        assertThat(anonymous.getMessage().getBody(Map.class)).doesNotContainKey("id").containsEntry("status", "queued");
    }

    @Test
    void theParkingPropertiesAreKnownByName() {
        for (String name : new String[] {Parking.COUNT, Parking.HISTORY, Parking.FIRST_PARKED, Parking.DECISION, Parking.QUEUE}) {
            assertThat(Parking.isParkingProperty(name)).as(name).isTrue();
        }
        assertThat(Parking.isParkingProperty("NotificationId")).isFalse();
        assertThat(Parking.isParkingProperty(QueueOrder.HEADER)).as("the queue order outlives a replay").isFalse();
    }

    @Test
    void theFirstParkingIsRememberedAndKept() {
        Exchange exchange = failed(ProviderException.unavailable("sendgrid", "down"));
        long before = System.currentTimeMillis();
        parking().park(exchange);
        long first = exchange.getMessage().getHeader(Parking.FIRST_PARKED, Long.class);
        assertThat(first).isBetween(before, System.currentTimeMillis());
        exchange.getMessage().setHeader(Parking.FIRST_PARKED, first - 10_000);
        parking().park(exchange);
        assertThat(exchange.getMessage().getHeader(Parking.FIRST_PARKED, Long.class)).isEqualTo(first - 10_000);
    }

    @Test
    void theHistoryNamesAnyFailureAndKeepsItsLatest4000Characters() {
        Exchange exchange = failed(new IllegalStateException("boom"));
        exchange.getMessage().setHeader(Parking.HISTORY, "x".repeat(3990));
        parking().park(exchange);
        String history = exchange.getMessage().getHeader(Parking.HISTORY, String.class);
        assertThat(history).hasSize(4000).endsWith(" java.lang.IllegalStateException: boom").contains("xxx | ");
    }
}
