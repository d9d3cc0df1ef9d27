package org.dotmac.integrations.search;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.dotmac.integrations.core.GatewayDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The order of queued search writes, on a real H2 database and a Camel route shaped like the queue's:
 * hold, then the engine (here a step that records what it was sent), then applied.
 */
class WriteOrderTest {

    @TempDir
    Path dir;

    private GatewayDatabase database;
    private CamelContext camel;
    private ProducerTemplate producer;
    private final List<SearchRequest> sent = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch engineHeld = new CountDownLatch(0);
    private final CountDownLatch engineEntered = new CountDownLatch(1);
    private volatile boolean engineDown;

    @BeforeEach
    void start() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(GatewayDatabase.h2Url(dir));
        database = new GatewayDatabase(config);
        WriteOrder order = new WriteOrder(database, Duration.ofHours(24).toMillis());
        camel = new DefaultCamelContext();
        // a lambda, not a RouteBuilder class: camel-main would find one in this package and start it in every gateway
        RouteBuilder.addRoutes(camel, routes -> routes.from("direct:write")
                .bean(order, "hold")
                .filter(routes.body().isInstanceOf(SearchRequest.class))
                    .process(this::engine)
                    .bean(order, "applied")
                .end());
        camel.start();
        producer = camel.createProducerTemplate();
    }

    /** The engine: records what it was sent, and answers every document written. */
    private void engine(Exchange exchange) throws Exception {
        SearchRequest request = exchange.getMessage().getBody(SearchRequest.class);
        engineEntered.countDown();
        engineHeld.await(10, TimeUnit.SECONDS);
        if (engineDown) {
            throw new IllegalStateException("engine down");
        }
        sent.add(request);
        exchange.getMessage().setBody(SearchResults.written(request,
                request.validEntries().stream().map(e -> new SearchResults.Item(e.id(), 200, "updated", null)).toList(),
                "test", null));
    }

    @AfterEach
    void stop() {
        camel.stop();
        database.close();
    }

    private Object write(SearchRequest request, long sequence) {
        Exchange done = producer.send("direct:write", exchange -> {
            exchange.getMessage().setBody(request);
            exchange.setProperty(WriteOrder.SEQUENCE, sequence);
        });
        if (done.getException() != null) {
            throw org.apache.camel.RuntimeCamelException.wrapRuntimeException(done.getException());
        }
        return done.getMessage().getBody();
    }

    private static SearchRequest index(String id) {
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("id", id);
        return SearchRequest.index("books", id, document, false);
    }

    @Test
    void aWriteQueuedBeforeTheLastOneAppliedIsNotSent() {
        write(index("x"), 10);
        Object answer = write(SearchRequest.delete("books", "x", false), 5);

        assertThat(sent).hasSize(1);
        assertThat(answer).isEqualTo(new SearchResults.Written("books", "x", "superseded", null, null));
    }

    @Test
    void theSameMessageDeliveredAgainIsSentAgain() {
        write(index("x"), 7);
        write(index("x"), 7);

        assertThat(sent).hasSize(2);
    }

    @Test
    void aBulkSendsOnlyTheDocumentsNoLaterWriteTouchedAndReportsTheOthers() {
        write(index("a"), 10);
        SearchRequest bulk = SearchRequest.bulk("books", List.of(
                new SearchRequest.Entry(0, "a", JsonNodeFactory.instance.objectNode().put("id", "a"), null),
                new SearchRequest.Entry(1, "b", JsonNodeFactory.instance.objectNode().put("id", "b"), null)), false);

        SearchResults.Bulk answer = (SearchResults.Bulk) write(bulk, 5);

        assertThat(sent.get(1).validEntries()).extracting(SearchRequest.Entry::id).containsExactly("b");
        assertThat(answer.errors()).isFalse();
        assertThat(answer.items()).containsExactly(new SearchResults.Item("a", 200, "superseded", null),
                new SearchResults.Item("b", 200, "updated", null));
    }

    @Test
    void aWriteThatFailedDoesNotMoveTheDocumentsOrder() {
        write(index("x"), 3);
        engineDown = true;
        assertThatThrownBy(() -> write(index("x"), 10)).hasMessage("engine down");
        engineDown = false;

        write(SearchRequest.delete("books", "x", false), 8);

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).operation()).isEqualTo(SearchRequest.Operation.DELETE);
    }

    @Test
    void twoWritesToOneDocumentNeverReachTheEngineAtOnce() throws Exception {
        engineHeld = new CountDownLatch(1);
        // two threads of their own: the common pool may have one on two cores
        var writers = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> write(index("x"), 1), writers);
        assertThat(engineEntered.await(10, TimeUnit.SECONDS)).as("the first write reached the engine").isTrue();
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> write(index("x"), 2), writers);
        await().atMost(Duration.ofSeconds(10)).until(() -> lockWaiters() == 1);

        assertThat(sent).as("the second waits for the first's lock, before the engine").isEmpty();
        engineHeld.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        writers.shutdown();
        assertThat(sent).hasSize(2);
    }

    /** Sessions H2 reports as blocked by another's lock. */
    private int lockWaiters() throws Exception {
        try (var connection = database.connection(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
