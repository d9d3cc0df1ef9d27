package org.dotmac.integrations.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.dotmac.integrations.support.ArtemisServer;
import org.dotmac.integrations.support.EmailLoad;
import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gateway processes on one standalone Artemis broker split the load of a queue; one of them is
 * killed with SIGKILL mid-load and the others deliver everything that was accepted, also through a
 * provider outage and a broker restart (the fault campaign). A message the broker redelivers after
 * such a death keeps its notification id.
 */
class ScaleOutTest {

    static final int REQUESTS = 400;
    static final String KEY_A = TestSecrets.SENDGRID_API_KEY_INSTANCE_A;
    static final String KEY_B = TestSecrets.SENDGRID_API_KEY_INSTANCE_B;
    static final String[] KEYS = {KEY_A, KEY_B, TestSecrets.SENDGRID_API_KEY_INSTANCE_C};

    @RegisterExtension
    static final ArtemisServer broker = ArtemisServer.start();

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @TempDir
    Path workDir;

    private final Map<String, String> accepted = new ConcurrentHashMap<>(); // subject -> door
    private final AtomicInteger refused = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * The fault campaign: three gateway processes on one standalone Artemis (the shipped broker.xml) and
     * one PostgreSQL, while callers send keyed and unkeyed emails over REST (spread over the instances, a
     * keyed one repeated on another instance) and JMS (a keyed one sent twice). One instance is killed
     * with SIGKILL, SendGrid answers 503 for longer than the park delay, the broker is restarted. Then
     * every accepted email is delivered, nothing is dead-lettered, no repeated key sends twice, and a
     * duplicate is only ever an email whose SendGrid call was in flight when the instance died or the
     * broker went away (at-least-once at that edge). Each email is told apart by its subject.
     */
    @Test
    void acceptedEmailsAreDeliveredThroughAKillAProviderOutageAndABrokerRestart() throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "m").withFixedDelay(25));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            int[] ports = {TestGateway.freePort(), TestGateway.freePort(), TestGateway.freePort()};
            List<GatewayProcess> instances = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    instances.add(GatewayProcess.start(campaignEnv(ports[i], i, postgres), workDir));
                }
                for (int i = 0; i < 3; i++) {
                    instances.get(i).awaitReady(ports[i]);
                }
                Set<Integer> dead = ConcurrentHashMap.newKeySet();
                AtomicBoolean going = new AtomicBoolean(true);
                ExecutorService callers = Executors.newFixedThreadPool(4);
                List<Future<?>> load = List.of(
                        callers.submit(() -> restCaller("rest", false, ports, dead, going)),
                        callers.submit(() -> restCaller("rest-keyed", true, ports, dead, going)),
                        callers.submit(() -> jmsCaller("jms", false, going)),
                        callers.submit(() -> jmsCaller("jms-keyed", true, going)));

                // each phase begins once the load shows the one before had its effect, not after a fixed time
                await().atMost(Duration.ofSeconds(30)).until(() -> deliveredBy(KEYS[0]) >= 20);
                long killedAt = System.currentTimeMillis();
                dead.add(0);
                instances.get(0).killHard();

                int acceptedAtKill = accepted.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= acceptedAtKill + 100);
                long outageFrom = System.currentTimeMillis();
                sendgrid.answer(aResponse().withStatus(503));
                List<Integer> readiness = new ArrayList<>();
                while (System.currentTimeMillis() - outageFrom < 5000) {
                    for (int i = 1; i < 3; i++) {
                        readiness.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[i]
                                + "/observe/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode());
                    }
                    Thread.sleep(250);
                }
                sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "m").withFixedDelay(25));

                int takenAfterOutage = sendgrid.taken().size();
                await().atMost(Duration.ofSeconds(30)).until(() -> sendgrid.taken().size() >= takenAfterOutage + 50);
                long brokerDownFrom = System.currentTimeMillis();
                broker.restart(Duration.ofSeconds(3));
                long brokerBackAt = System.currentTimeMillis();

                int acceptedAfterRestart = accepted.size();
                await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= acceptedAfterRestart + 100);
                going.set(false);
                for (Future<?> caller : load) {
                    caller.get();
                }
                callers.shutdown();

                try {
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() ->
                            sendgrid.taken().stream().map(SendGridDouble.Taken::subject).collect(Collectors.toSet())
                                    .containsAll(accepted.keySet()));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // what a reader needs: which accepted emails are missing, by door, and what the instances said
                    Set<String> delivered = sendgrid.taken().stream().map(SendGridDouble.Taken::subject).collect(Collectors.toSet());
                    List<String> missing = accepted.keySet().stream().filter(subject -> !delivered.contains(subject)).sorted().toList();
                    System.out.printf("not delivered after 180 s: %d of %d accepted %s; SendGrid's last answers %s%n",
                            missing.size(), accepted.size(), missing.stream().limit(40).toList(), sendgrid.requests().size());
                    for (int i = 0; i < instances.size(); i++) {
                        String[] lines = instances.get(i).output().split("\n");
                        for (String line : java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length)) {
                            System.out.printf("  instance-%d: %s%n", i, line);
                        }
                    }
                    throw e;
                }

                List<SendGridDouble.Taken> taken = sendgrid.taken();
                long parkings = 0;
                for (GatewayProcess instance : instances) {
                    parkings += instance.output().split("Parked message", -1).length - 1;
                }
                Map<String, List<SendGridDouble.Taken>> bySubject = taken.stream()
                        .collect(Collectors.groupingBy(SendGridDouble.Taken::subject));
                List<String> atKill = new ArrayList<>();
                List<String> atBrokerRestart = new ArrayList<>();
                List<String> unexplained = new ArrayList<>();
                for (var entry : bySubject.entrySet()) {
                    if (entry.getValue().size() < 2) {
                        continue;
                    }
                    SendGridDouble.Taken first = entry.getValue().get(0);
                    if (first.authorization().equals("Bearer " + KEYS[0]) && first.receivedAt() <= killedAt) {
                        atKill.add(entry.getKey());
                    } else if (first.receivedAt() >= brokerDownFrom - 2000 && first.receivedAt() <= brokerBackAt) {
                        atBrokerRestart.add(entry.getKey());
                    } else {
                        unexplained.add(entry.getKey());
                    }
                }
                if (!unexplained.isEmpty()) {
                    explain(unexplained, bySubject, instances, killedAt, outageFrom, brokerDownFrom, brokerBackAt);
                }
                Map<String, Long> perDoor = accepted.values().stream()
                        .collect(Collectors.groupingBy(door -> door, java.util.TreeMap::new, Collectors.counting()));
                System.out.printf("fault campaign: accepted %d %s, not accepted %d; delivered %d distinct (%d mail/sends);"
                                + " duplicates in flight at the SIGKILL %d %s, at the broker restart %d %s, unexplained %d %s;"
                                + " parkings %d; readiness during the provider outage %s%n",
                        accepted.size(), perDoor, refused.get(), bySubject.size(), taken.size(), atKill.size(),
                        doors(atKill), atBrokerRestart.size(), doors(atBrokerRestart), unexplained.size(), unexplained,
                        parkings, readiness.stream().distinct().toList());

                Map<String, Object> figures = new java.util.LinkedHashMap<>();
                figures.put("benchmark", "fault-campaign (ScaleOutTest.acceptedEmailsAreDeliveredThroughAKillAProviderOutageAndABrokerRestart)");
                figures.put("scenario", "3 gateways (2 consumers each) on one standalone Artemis (docker/artemis/broker.xml)"
                        + " and one PostgreSQL; 4 callers (REST, REST keyed and repeated on another instance, JMS, JMS keyed"
                        + " and sent twice), one request each every 40 ms; SIGKILL of instance 1 once it delivered 20; SendGrid 503 for 5 s"
                        + " once 100 more were accepted (park delay 1 s); broker stopped (SIGTERM) for 3 s once SendGrid took 50 more;"
                        + " load stopped once 100 more were accepted");
                figures.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
                figures.put("instances", 3);
                figures.put("accepted", accepted.size());
                figures.put("acceptedPerDoor", perDoor);
                figures.put("notAccepted", refused.get());
                figures.put("deliveredDistinct", bySubject.size());
                figures.put("mailSends", taken.size());
                // a call cut by the kill or a JMS send whose confirmation the broker restart lost may still have landed
                figures.put("deliveredWithoutAcceptance", bySubject.keySet().stream().filter(subject -> !accepted.containsKey(subject)).count());
                figures.put("duplicatesInFlightAtSigkill", atKill.size());
                figures.put("duplicatesInFlightAtBrokerRestart", atBrokerRestart.size());
                figures.put("duplicatesUnexplained", unexplained.size());
                figures.put("parkings", parkings);
                figures.put("readinessDuringProviderOutage", readiness.stream().distinct().toList());
                // the run's figures, for bench/results and docs/RELIABILITY.md
                java.nio.file.Files.writeString(Path.of("target", "fault-campaign.json"),
                        TestGateway.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));

                assertThat(perDoor.keySet()).as("every door took requests").containsExactlyInAnyOrder(
                        "rest", "rest-keyed", "jms", "jms-keyed");
                assertThat(bySubject.keySet()).as("delivered").containsAll(accepted.keySet());
                assertThat(unexplained).as("duplicates not explained by a call in flight at a fault").isEmpty();
                assertThat(atKill.size()).as("at most one call in flight per consumer of the killed instance")
                        .isLessThanOrEqualTo(2 * 3);
                assertThat(parkings).as("the provider outage outlasted the quick retries").isPositive();
                assertThat(readiness).as("readiness while SendGrid is down").isNotEmpty().allMatch(status -> status == 200);
                HttpResponse<String> letters = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[1]
                        + "/api/v1/dead-letters")).header("X-API-Key", TestGateway.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(TestGateway.json(letters.body()).path("deadLetters")).as(letters.body()).isEmpty();
            } finally {
                for (GatewayProcess instance : instances) {
                    instance.close();
                }
            }
        }
    }

    /**
     * Prints what a reader needs to explain a duplicate the classification did not: each call with its
     * instance, time and gateway id, and every instance's warnings and errors from a second before its
     * first call to a second after its last.
     */
    private void explain(List<String> unexplained, Map<String, List<SendGridDouble.Taken>> bySubject,
            List<GatewayProcess> instances, long killedAt, long outageFrom, long brokerDownFrom, long brokerBackAt) {
        java.time.format.DateTimeFormatter stamp = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        System.out.printf("phases (ms from the SIGKILL): outage %+d, broker down %+d, back %+d%n",
                outageFrom - killedAt, brokerDownFrom - killedAt, brokerBackAt - killedAt);
        for (String subject : unexplained) {
            List<SendGridDouble.Taken> calls = bySubject.get(subject);
            System.out.printf("unexplained duplicate %s (%s):%n", subject, accepted.get(subject));
            for (SendGridDouble.Taken call : calls) {
                System.out.printf("  sent with %s at %+d ms, gateway id %s%n", call.authorization(),
                        call.receivedAt() - killedAt, call.gatewayId());
            }
            long from = calls.get(0).receivedAt() - 1000;
            long to = calls.get(calls.size() - 1).receivedAt() + 1000;
            for (int i = 0; i < instances.size(); i++) {
                for (String line : instances.get(i).output().split("\n")) {
                    boolean mentions = !calls.get(0).gatewayId().isEmpty() && line.contains(calls.get(0).gatewayId());
                    boolean near = false;
                    if (line.length() > 28 && (line.contains(" WARN ") || line.contains(" ERROR "))) {
                        try {
                            long at = java.time.OffsetDateTime.parse(line.substring(0, 28), stamp).toInstant().toEpochMilli();
                            near = at >= from && at <= to;
                        } catch (java.time.format.DateTimeParseException notAStamp) {
                            // a continuation line (a stack trace)
                        }
                    }
                    if (mentions || near) {
                        System.out.printf("    instance-%d: %s%n", i, line);
                    }
                }
            }
        }
    }

    private String doors(List<String> subjects) {
        return subjects.stream().map(accepted::get).collect(Collectors.groupingBy(door -> String.valueOf(door),
                java.util.TreeMap::new, Collectors.counting())).toString();
    }

    /** Sends emails over REST one after another, each to the next live instance; a keyed one again to another. */
    private Void restCaller(String door, boolean keyed, int[] ports, Set<Integer> dead, AtomicBoolean going) throws Exception {
        for (int n = 0, next = 0; going.get(); n++) {
            String subject = door + "-" + n;
            int tries = keyed ? 2 : 1;
            for (int t = 0; t < tries; t++) {
                do {
                    next = (next + 1) % ports.length;
                } while (dead.contains(next));
                try {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[next]
                                    + "/api/v1/notifications/email"))
                            .timeout(Duration.ofSeconds(10)).header("X-API-Key", TestGateway.API_KEY)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(email(subject)));
                    if (keyed) {
                        request.header("Idempotency-Key", "campaign-" + subject);
                    }
                    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        accepted.put(subject, door);
                    } else {
                        refused.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    refused.incrementAndGet(); // the instance died under the call: not accepted
                }
            }
            Thread.sleep(40);
        }
        return null;
    }

    /** Sends emails to the broker as another service would; a keyed one twice. Reconnects after the restart. */
    private Void jmsCaller(String door, boolean keyed, AtomicBoolean going) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url(), ArtemisServer.USER, ArtemisServer.PASSWORD);
        Connection connection = null;
        MessageProducer producer = null;
        Session session = null;
        try (factory) {
            for (int n = 0; going.get(); n++) {
                String subject = door + "-" + n;
                for (int t = 0; t < (keyed ? 2 : 1); t++) {
                    try {
                        if (connection == null) {
                            connection = factory.createConnection();
                            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                            producer = session.createProducer(session.createQueue("integrations.email"));
                        }
                        TextMessage message = session.createTextMessage(email(subject));
                        if (keyed) {
                            message.setStringProperty("IdempotencyKey", "campaign-" + subject);
                        }
                        producer.send(message);
                        accepted.put(subject, door);
                    } catch (jakarta.jms.JMSException e) {
                        refused.incrementAndGet();
                        if (connection != null) {
                            try {
                                connection.close();
                            } catch (jakarta.jms.JMSException ignored) {
                                // the broker is away
                            }
                        }
                        connection = null;
                        Thread.sleep(200);
                    }
                }
                Thread.sleep(40);
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
        return null;
    }

    private static String email(String subject) {
        return "{\"to\":\"ana@example.com\",\"subject\":\"" + subject + "\",\"content\":\"c\"}";
    }

    @Test
    void twoInstancesShareTheQueueAndASigkilledOneLosesNothing() throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "m").withFixedDelay(25));
        int portA = TestGateway.freePort();
        int portB = TestGateway.freePort();
        try (GatewayProcess a = GatewayProcess.start(env(portA, "a", KEY_A), workDir);
                GatewayProcess b = GatewayProcess.start(env(portB, "b", KEY_B), workDir)) {
            a.awaitReady(portA);
            b.awaitReady(portB);

            List<String> accepted = EmailLoad.accept(portB, REQUESTS);
            // mid-load: most of the queue is still waiting
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveredBy(KEY_A) > 0 && sendgrid.deliveredIds().size() > 20);
            a.killHard();
            int deliveredWhenKilled = sendgrid.deliveredIds().size();

            await().atMost(Duration.ofSeconds(120)).until(() -> sendgrid.deliveredIds().containsAll(accepted));
            List<String> delivered = sendgrid.deliveredIds();
            long duplicates = delivered.size() - delivered.stream().distinct().count();
            System.out.printf("scale-out: %d accepted; instance a delivered %d before SIGKILL, b %d in all; "
                    + "%d delivered when a was killed; %d duplicates%n", accepted.size(), deliveredBy(KEY_A),
                    deliveredBy(KEY_B), deliveredWhenKilled, duplicates);
            assertThat(deliveredWhenKilled).as("killed mid-load").isLessThan(REQUESTS);
            assertThat(deliveredBy(KEY_A)).as("instance a took a share").isPositive();
            assertThat(deliveredBy(KEY_B)).as("instance b took a share").isPositive();
            assertThat(delivered).containsAll(accepted);
        }
    }

    @Test
    void aMessageWithoutAnIdKeepsTheSameIdWhenTheBrokerRedeliversItAfterACrash() throws Exception {
        // earlier tests may leave repeats parked on the shared broker: a consumer busy with one for the
        // slow SendGrid below would never take this email in time, so the queue starts empty
        broker.purge("integrations.email");
        String subject = "redelivered-" + java.util.UUID.randomUUID();
        // a SendGrid that does not answer in time: instance a holds the message in its transaction
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "m").withFixedDelay(60_000));
        int portA = TestGateway.freePort();
        int portB = TestGateway.freePort();
        try (GatewayProcess a = GatewayProcess.start(env(portA, "a", KEY_A), workDir)) {
            a.awaitReady(portA);
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url(), "admin", "admin");
            try (factory; Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                // as another service would send it: no NotificationId property
                session.createProducer(session.createQueue("integrations.email")).send(session.createTextMessage(email(subject)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sentWith(KEY_A, subject).size() == 1);
            a.killHard();
        }
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "m"));
        try (GatewayProcess b = GatewayProcess.start(env(portB, "b", KEY_B), workDir)) {
            b.awaitReady(portB);
            await().atMost(Duration.ofSeconds(60)).until(() -> !sentWith(KEY_B, subject).isEmpty());
        }
        List<String> ids = new ArrayList<>(sentWith(KEY_A, subject));
        ids.addAll(sentWith(KEY_B, subject));
        System.out.printf("redelivered after SIGKILL: gateway ids %s; %d other emails sent by a and b%n", ids,
                deliveredBy(KEY_A) + deliveredBy(KEY_B) - ids.size());
        assertThat(ids).hasSize(2);
        assertThat(ids.get(1)).as("the id of the broker's redelivery").isEqualTo(ids.get(0)).isNotBlank();
    }

    /** The gateway ids of the SendGrid calls made with this key for the email with this subject. */
    private static List<String> sentWith(String key, String subject) throws Exception {
        List<String> ids = new ArrayList<>();
        for (var request : sendgrid.requests()) {
            if (("Bearer " + key).equals(request.getHeader("Authorization")) && request.getBodyAsString().contains(subject)) {
                ids.add(SendGridDouble.gatewayId(request.getBodyAsString()));
            }
        }
        return ids;
    }

    private Map<String, String> campaignEnv(int port, int instance, EmbeddedPostgres postgres) throws Exception {
        Map<String, String> env = env(port, "instance-" + instance, KEYS[instance]);
        env.put("JMS__MAX_REDELIVERIES", "1");
        env.put("JMS__PARK_DELAY", "1000");
        env.put("JMS__PARK_MAX_DELAY", "2000");
        env.put("RESILIENCE__EMAIL__WAIT_DURATION_IN_OPEN_STATE", "1s");
        env.put("IDEMPOTENCY__JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"));
        env.put("IDEMPOTENCY__JDBC_USERNAME", "postgres");
        return env;
    }

    private Map<String, String> env(int port, String name, String key) throws Exception {
        Map<String, String> env = GatewayProcess.environment(port, workDir.resolve(name));
        env.put("JMS__BROKER_URL", broker.url());
        env.put("JMS__USERNAME", "admin");
        env.put("JMS__PASSWORD", "admin");
        env.put("JMS__CONCURRENT_CONSUMERS", "2");
        env.putAll(sendgrid.gatewayEnvironment());
        // its own key, so that SendGrid's requests say which instance sent them
        env.put("EMAIL__SENDGRID__API_KEY", key);
        return env;
    }



    private static long deliveredBy(String key) {
        return sendgrid.requests().stream().filter(r -> ("Bearer " + key).equals(r.getHeader("Authorization"))).count();
    }
}
