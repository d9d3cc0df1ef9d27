package org.dotmac.integrations.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's ids are RFC 9562 version 7: the time first, so they sort in the order they were made. */
class NotificationIdsTest {

    @Test
    void anIdIsAVersion7UuidCarryingItsMillisecond() {
        UUID id = NotificationIds.timeOrdered(1_765_000_000_123L);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_765_000_000_123L);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsText() {
        List<String> ids = new ArrayList<>();
        for (long ms = 1_765_000_000_000L; ms < 1_765_000_000_050L; ms++) {
            ids.add(NotificationIds.timeOrdered(ms).toString());
        }
        assertThat(ids).isSorted();
        assertThat(NotificationIds.next()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
