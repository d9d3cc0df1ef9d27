package org.dotmac.integrations.notification;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dotmac.integrations.notification.StatusTransitions.Event;
import org.dotmac.integrations.notification.StatusTransitions.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dotmac.integrations.notification.StatusTransitions.next;

/** README's transition table, cell by cell, is what the code does; and the cases the table is for. */
class StatusTransitionsTest {

    private record Row(Event event, boolean permanent, List<String> cells) {
    }

    private static List<Row> readmeTable() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int section = lines.indexOf("## Delivery status");
        assertThat(section).as("README has a Delivery status section").isPositive();
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        for (String line : lines.subList(section, lines.size())) {
            if (line.startsWith("## ") && !line.equals("## Delivery status")) {
                break;
            }
            if (!line.startsWith("| ")) {
                if (header != null) {
                    break;
                }
                continue;
            }
            List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::trim).toList();
            if (header == null) {
                header = cells;
                assertThat(header.subList(1, header.size())).as("the table's columns are the statuses, in order")
                        .containsExactlyElementsOf(Arrays.stream(Status.values()).map(Status::wire).toList());
                continue;
            }
            if (cells.get(0).startsWith("---")) {
                continue;
            }
            String name = cells.get(0).replaceAll("`", "").split(" ")[0];
            rows.add(new Row(Event.of(name), cells.get(0).contains("(permanent)"), cells.subList(1, cells.size())));
        }
        return rows;
    }

    @Test
    void everyCellOfReadmesTableIsWhatTheCodeDoes() throws Exception {
        List<Row> rows = readmeTable();
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            for (Status from : Status.values()) {
                String cell = row.cells().get(from.ordinal());
                Status expected = cell.equals("·") ? from : Status.of(cell);
                Status actual = next(from, row.event(), row.permanent());
                if (actual != expected) {
                    wrong.add(row.event().wire() + (row.permanent() ? " (permanent)" : "") + " from " + from.wire()
                            + ": README says " + expected.wire() + ", the code gives " + actual.wire());
                }
            }
        }
        assertThat(wrong).isEmpty();
        // every event has its row (attempt_failed two: retried and permanent)
        assertThat(rows.stream().map(Row::event).distinct()).containsExactlyInAnyOrder(Event.values());
        assertThat(rows).hasSize(Event.values().length + 1);
    }

    @Test
    void statusesAndEventsAreWrittenInLowerCaseAndReadBack() {
        assertThat(Event.DEAD_LETTERED.wire()).isEqualTo("dead_lettered");
        assertThat(Event.of("attempt_failed")).isEqualTo(Event.ATTEMPT_FAILED);
        assertThat(Status.CAPTURED.wire()).isEqualTo("captured");
        assertThat(Status.of("dead")).isEqualTo(Status.DEAD);
    }

    @Test
    void replayedRevivesADeadNotification() {
        assertThat(next(Status.DEAD, Event.REPLAYED, false)).isEqualTo(Status.QUEUED);
        assertThat(next(Status.SENT, Event.REPLAYED, false)).isEqualTo(Status.SENT);
    }

    @Test
    void aBounceAfterDeliveryMakesItFailedAndALateDeferralChangesNothing() {
        assertThat(next(Status.DELIVERED, Event.BOUNCED, false)).isEqualTo(Status.FAILED);
        assertThat(next(Status.DELIVERED, Event.DEFERRED, false)).isEqualTo(Status.DELIVERED);
        assertThat(next(Status.FAILED, Event.DELIVERED, false)).as("a late delivery after a bounce").isEqualTo(Status.FAILED);
    }

    @Test
    void onlyAPermanentFailureEndsAQueuedNotification() {
        assertThat(next(Status.QUEUED, Event.ATTEMPT_FAILED, false)).isEqualTo(Status.QUEUED);
        assertThat(next(Status.QUEUED, Event.ATTEMPT_FAILED, true)).isEqualTo(Status.FAILED);
        assertThat(next(Status.FAILED, Event.DEAD_LETTERED, false)).isEqualTo(Status.DEAD);
    }
}
