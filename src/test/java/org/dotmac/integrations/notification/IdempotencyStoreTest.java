package org.dotmac.integrations.notification;

import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Claims are leases: one left by an instance that died is taken over once it has run out, by one caller only. */
class IdempotencyStoreTest {

    private static IdempotencyStore store(Path dir, long leaseMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("keys").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        config.setMaximumPoolSize(2);
        return new IdempotencyStore(new org.dotmac.integrations.core.GatewayDatabase(config), Duration.ofHours(24).toMillis(), leaseMillis);
    }

    @Test
    void aClaimLeftByADeadInstanceIsTakenOverAfterItsLeaseAndOnlyOnce(@TempDir Path dir) throws Exception {
        try (IdempotencyStore died = store(dir, 800); IdempotencyStore next = store(dir, 800); IdempotencyStore other = store(dir, 800)) {
            assertThat(died.claim("jms:email:k1")).isInstanceOf(IdempotencyStore.Claimed.class);
            // the instance dies here: no answer, no release
            assertThat(next.claim("jms:email:k1")).as("within the lease").isInstanceOf(IdempotencyStore.InProgress.class);

            await().atMost(Duration.ofSeconds(5)).until(() -> next.claim("jms:email:k1") instanceof IdempotencyStore.Claimed);
            assertThat(other.claim("jms:email:k1")).as("taken over: a fresh lease").isInstanceOf(IdempotencyStore.InProgress.class);

            next.complete("jms:email:k1", "{\"id\":\"1\"}");
            assertThat(other.claim("jms:email:k1")).isEqualTo(new IdempotencyStore.Answered("{\"id\":\"1\"}"));
        }
    }

    @Test
    void anAnsweredKeyIsNeverTakenOverWhateverItsLease(@TempDir Path dir) throws Exception {
        // a lease that has run out as soon as it is taken
        try (IdempotencyStore store = store(dir, -60_000)) {
            assertThat(store.claim("sync:sms:k2")).isInstanceOf(IdempotencyStore.Claimed.class);
            store.complete("sync:sms:k2", "{\"id\":\"2\"}");
            assertThat(store.claim("sync:sms:k2")).isEqualTo(new IdempotencyStore.Answered("{\"id\":\"2\"}"));
        }
    }

    @Test
    void aTableMadeBeforeLeasesGetsTheColumnAndItsOpenClaimsCanBeTakenOver(@TempDir Path dir) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("keys").toAbsolutePath());
             var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE gateway_idempotency (idem_key VARCHAR(300) PRIMARY KEY, answer VARCHAR(16000),"
                    + " created_at BIGINT NOT NULL)");
            statement.execute("INSERT INTO gateway_idempotency VALUES ('jms:email:old', NULL, " + System.currentTimeMillis() + ")");
        }
        try (IdempotencyStore store = store(dir, 60_000)) {
            assertThat(store.claim("jms:email:old")).isInstanceOf(IdempotencyStore.Claimed.class);
            assertThat(store.claim("jms:email:old")).isInstanceOf(IdempotencyStore.InProgress.class);
        }
    }
}
