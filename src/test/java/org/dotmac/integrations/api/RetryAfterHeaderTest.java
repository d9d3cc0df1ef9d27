package org.dotmac.integrations.api;

import org.dotmac.integrations.core.ProviderUnavailableException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider's Retry-After, in seconds or as an HTTP date, read as milliseconds to wait. */
class RetryAfterHeaderTest {

    @Test
    void secondsAreMilliseconds() {
        assertThat(ProviderUnavailableException.parseRetryAfter("2")).isEqualTo(2000);
        assertThat(ProviderUnavailableException.parseRetryAfter(" 7 ")).isEqualTo(7000);
        assertThat(ProviderUnavailableException.parseRetryAfter("0")).isZero();
    }

    @Test
    void nothingNegativeOrUnreadableIsNoWait() {
        assertThat(ProviderUnavailableException.parseRetryAfter(null)).isZero();
        assertThat(ProviderUnavailableException.parseRetryAfter("")).isZero();
        assertThat(ProviderUnavailableException.parseRetryAfter("  ")).isZero();
        assertThat(ProviderUnavailableException.parseRetryAfter("-5")).isZero();
        assertThat(ProviderUnavailableException.parseRetryAfter("soon")).isZero();
        assertThat(ProviderUnavailableException.parseRetryAfter("1.5")).isZero();
    }

    @Test
    void anHttpDateIsTheTimeUntilThen() {
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
        assertThat(ProviderUnavailableException.parseRetryAfter(inAMinute)).isBetween(55_000L, 60_000L);
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(60));
        assertThat(ProviderUnavailableException.parseRetryAfter(past)).isZero();
    }
}
