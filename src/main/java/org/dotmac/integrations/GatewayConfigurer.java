package org.dotmac.integrations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.dotmac.integrations.api.ApiKeyRing;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.BodyBudget;
import org.dotmac.integrations.api.ApiKeys;
import org.dotmac.integrations.core.ApiResponses;
import org.dotmac.integrations.api.HttpGatekeeper;
import org.dotmac.integrations.core.ConfigurationProblemsException;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Providers;
import org.dotmac.integrations.core.OutboundLimits;
import org.dotmac.integrations.notification.CustomProviderRoutes;
import org.dotmac.integrations.config.IntegrationGate;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.config.StartupValidator;
import org.dotmac.integrations.config.VaultSecrets;
import org.dotmac.integrations.api.ApiKeysHealthCheck;
import org.dotmac.integrations.health.BrokerHealthCheck;
import org.dotmac.integrations.health.IntegrationHealthCheck;
import org.dotmac.integrations.health.IntegrationMetrics;
import org.dotmac.integrations.health.IntegrationsReport;
import org.dotmac.integrations.health.OpenBreakers;
import org.dotmac.integrations.health.CredentialRecheck;
import org.dotmac.integrations.health.DataDirHealthCheck;
import org.dotmac.integrations.health.HealthProbes;
import org.dotmac.integrations.health.ProviderAlerts;
import org.dotmac.integrations.health.ProviderBreakers;
import org.dotmac.integrations.health.RouteGauges;
import org.dotmac.integrations.health.RouteTimers;
import org.dotmac.integrations.storage.StorageHttp;
import org.dotmac.integrations.storage.StorageOperations;
import org.dotmac.integrations.messaging.BrokerGate;
import org.dotmac.integrations.messaging.BrokerPolicy;
import org.dotmac.integrations.messaging.DeadLetterQueue;
import org.dotmac.integrations.messaging.LargeMessageGate;
import org.dotmac.integrations.messaging.DeadLetters;
import org.dotmac.integrations.messaging.Parking;
import org.dotmac.integrations.messaging.QueueOrder;
import org.dotmac.integrations.messaging.RetryAfter;
import org.dotmac.integrations.messaging.EmbeddedBroker;
import org.dotmac.integrations.notification.IdempotencyKeys;
import org.dotmac.integrations.notification.IdempotencyStore;
import org.dotmac.integrations.core.GatewayDatabase;
import org.dotmac.integrations.notification.NotificationReader;
import org.dotmac.integrations.notification.QueuedAnswers;
import org.dotmac.integrations.notification.NotificationStatusApi;
import org.dotmac.integrations.notification.StatusRecorder;
import org.dotmac.integrations.notification.AcceptanceWriter;
import org.dotmac.integrations.notification.EventTopics;
import org.dotmac.integrations.notification.StatusStore;
import org.dotmac.integrations.core.JsonRequests;
import org.dotmac.integrations.email.EmailRequests;
import org.dotmac.integrations.sms.SmsRequests;
import org.dotmac.integrations.notification.Outbox;
import org.dotmac.integrations.search.SearchOperations;
import org.dotmac.integrations.search.SearchReader;
import org.dotmac.integrations.search.WriteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Start-up in the order the gateway needs: validate the whole configuration, secure the HTTP
 * binding, start the embedded broker when no external one is set, then bind the beans the routes
 * use. The broker stops after Camel, so consumers finish or roll back first.
 */
final class GatewayConfigurer extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfigurer.class);

    private static final List<String> HTTP_SERVER_KEYS = List.of(
            "camel.server.port", "camel.server.host", "camel.server.max-body-size", "camel.management.port");

    private VaultSecrets vaultSecrets;
    private EmbeddedBroker broker;
    private CompletableFuture<Void> brokerStarted = CompletableFuture.completedFuture(null);
    private ActiveMQConnectionFactory consumerConnectionFactory;
    private CachingConnectionFactory sendConnectionFactory;
    private IntegrationsReport report;
    private ApiKeyRing apiKeyRing;
    private BodyBudget bodyBudget;
    private Path dataDir;
    private GatewayDatabase database;
    private long minFreeBytes;
    private List<ProviderModule> inUse;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Settings settings = Settings.of(context);
        Settings.applyDefaults(context);
        // secrets first: start-up validation then sees the credentials Vault holds
        VaultSecrets.Result vault = VaultSecrets.load(context, settings);
        vaultSecrets = vault.secrets();
        List<String> problems = new ArrayList<>(vault.problems());
        for (String problem : StartupValidator.problems(settings)) {
            // a secret Vault could not give is reported once, with its Vault path
            if (vault.problems().stream().noneMatch(v -> v.startsWith(problem.substring(0, problem.indexOf(' ')) + " "))) {
                problems.add(problem);
            }
        }
        // only the start-up decision below: requests are checked against the keys in force (ApiKeyRing)
        ApiKeys apiKeys = new ApiKeys(settings.get("gateway.api-keys").orElse(null));
        String host = settings.get("camel.server.host", "0.0.0.0");
        if (!apiKeys.isConfigured() && !isLoopback(host)) {
            if (settings.get("camel.server.host").isPresent()) {
                problems.add("camel.server.host (CAMEL_SERVER_HOST): listening on " + host
                        + " needs API keys; set gateway.api-keys (GATEWAY__API_KEYS)");
            } else {
                Settings.override(context, "camel.server.host", "127.0.0.1");
                LOG.warn("No API key configured (GATEWAY__API_KEYS): the API listens on 127.0.0.1 only and asks for no key");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationProblemsException(problems);
        }
        // each provider route starts while its module is in use: one computed property per route
        inUse = Providers.inUse(settings);
        for (ProviderModule module : Providers.all(settings)) {
            Settings.override(context, "gateway.active." + module.routeId(), String.valueOf(inUse.contains(module)));
        }
        // camel-main skips environment variables ending in _PORT (it takes them for Kubernetes service
        // links) and cannot map multi-word names such as CAMEL_SERVER_MAX_BODY_SIZE: resolve these keys
        // as every other property is resolved, so that both spellings work for them too
        for (String key : HTTP_SERVER_KEYS) {
            settings.get(key).ifPresent(value -> Settings.override(context, key, value));
        }
        try {
            dataDir = Path.of(settings.get("gateway.data-dir", "./data"));
            Files.createDirectories(dataDir);
            minFreeBytes = settings.getLong("gateway.data-dir.min-free", 64L << 20);
            bindBeans(context, settings, dataDir);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the gateway could not prepare its data dir or broker: " + e.getMessage(), e);
        }
    }

    private void bindBeans(CamelContext context, Settings settings, Path dataDir) throws Exception {
        Registry registry = context.getRegistry();
        String brokerUrl = settings.get("jms.broker-url").orElse(null);
        if (brokerUrl == null) {
            broker = new EmbeddedBroker(dataDir, settings.get("jms.embedded.host", "127.0.0.1"),
                    settings.getInt("jms.embedded.port", 61616), settings.getInt("jms.max-delivery-attempts", 10),
                    settings.getLong("jms.redelivery-delay", 1000), settings.get("jms.dead-letter-queue", "integrations.dlq"),
                    settings.getInt("jms.duplicate-id-cache-size", 20_000),
                    (int) Math.min(Integer.MAX_VALUE, settings.getLong("jms.embedded.journal-buffer-timeout", 500) * 1000),
                    settings.getLong("jms.embedded.global-max-size", 32L << 20));
            // the broker takes most of a second to start: let it while Camel reads its routes
            EmbeddedBroker starting = broker;
            brokerStarted = CompletableFuture.runAsync(() -> {
                try {
                    starting.start();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            brokerUrl = EmbeddedBroker.IN_VM_URL;
        } else {
            LOG.info("Using the external JMS broker set by jms.broker-url; no embedded broker started");
        }
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl,
                settings.get("jms.username").orElse(null), settings.get("jms.password").orElse(null));
        // no reconnect loop in the client: a lost connection fails at once, and the owners reconnect
        // (Spring's listener containers every jms.recovery-interval, the sending cache on its next send).
        // The client's own loop (reconnectAttempts=-1) held a lock that a consumer's close waits for, so
        // a gateway told to stop while the broker was away never stopped (ExternalBrokerTest).
        factory.setReconnectAttempts(0);
        // a first connection attempt that fails is not retried after the default 2 s: the owners retry
        factory.setRetryInterval(100);
        // a send waits this long for the broker's answer, then fails: a REST caller gets a 503 it can
        // act on instead of a request that hangs
        long sendTimeout = settings.getLong("jms.send-timeout", 5000);
        factory.setCallTimeout(sendTimeout);
        factory.setCallFailoverTimeout(sendTimeout);
        // a JMS session looks a queue up at the broker (a blocking round trip) on every createQueue, which
        // Spring's destination resolver calls for every send: keep what was looked up per session
        factory.setCacheDestinations(true);
        if (broker == null && settings.get("jms.check-broker-policy", "true").equals("true")) {
            checkBrokerPolicy(factory, settings);
        }
        // consumers: each listener container keeps its own connection, so stopping one route stops no other
        consumerConnectionFactory = factory;
        registry.bind("jmsConnectionFactory", factory);
        // producers (REST enqueue, dead letters): one shared connection with cached sessions and producers,
        // instead of a new connection per message
        sendConnectionFactory = new CachingConnectionFactory(factory);
        sendConnectionFactory.setSessionCacheSize(settings.getInt("jms.session-cache-size", httpWorkerThreads(settings)));
        registry.bind("jmsSendConnectionFactory", sendConnectionFactory);
        context.addService(new MessagingShutdown(), true, false);
        if (vaultSecrets != null) {
            long interval = TimeUtils.toMilliSeconds(settings.get("vault.refresh-interval", "30s"));
            context.addService(new VaultRefresh(Duration.ofMillis(interval)), true, false);
        }

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        apiKeyRing = new ApiKeyRing(settings, meters);
        long largestBody = settings.getLong("camel.server.max-body-size", 44_040_192);
        bodyBudget = new BodyBudget(settings.getLong("gateway.buffered-body-limit", BodyBudget.defaultLimit(largestBody)),
                largestBody, meters);
        registry.bind("largeMessages", new LargeMessageGate(bodyBudget));
        ProviderAlerts alerts = new ProviderAlerts();
        ProviderBreakers breakers = new ProviderBreakers(settings, meters);
        for (ProviderModule module : inUse) {
            if (module.remote()) {
                registry.bind("breaker-" + module.routeId(), breakers.breaker(module.integration().id(), module.name()));
            }
        }
        registry.bind("openBreakers", new OpenBreakers());
        report = new IntegrationsReport(context, settings, alerts, breakers);
        registry.bind("integrationsReport", report);
        registry.bind("integrationMetrics", new IntegrationMetrics(meters, report, alerts));
        context.addService(new CredentialRecheck(context, alerts, meters, Duration.ofMillis(
                TimeUtils.toMilliSeconds(settings.get("integrations.credential-recheck-interval", "30s")))), true, false);
        // only the modules in use: a provider not chosen never reads its credentials or opens a client
        for (ProviderModule module : inUse) {
            module.bind(new Binding(context, settings, dataDir, module));
        }
        registry.bind("outboundLimits", new OutboundLimits(settings, inUse));
        registry.bind("storageOperations", new StorageOperations(settings));
        registry.bind("storageHttp", new StorageHttp());
        JsonRequests json = new JsonRequests();
        registry.bind("jsonRequests", json);
        EmailRequests emailRequests = new EmailRequests(json, settings.get("email.default-subject", "Notification"));
        SmsRequests smsRequests = new SmsRequests(json);
        registry.bind("emailRequests", emailRequests);
        registry.bind("smsRequests", smsRequests);
        registry.bind("notificationReader", new NotificationReader(json, List.of(emailRequests, smsRequests)));
        database = GatewayDatabase.create(settings, dataDir);
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                database.close();
            }
        }, true, false);
        bindSearch(context, registry, settings, json);
        registry.bind("integrationGate", new IntegrationGate(settings));
        registry.bind("outbox", new Outbox(settings.getInt("notification.outbox.capacity", 1000)));
        ApiResponses apiResponses = new ApiResponses();
        registry.bind("apiResponses", apiResponses);
        registry.bind("queuedAnswers", new QueuedAnswers(apiResponses));
        // the platform-http server builds its Vert.x from this: a synchronous send holds a worker thread
        // while its provider answers, and Vert.x's default of 20 capped ?wait=true at 20 in flight
        registry.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(httpWorkerThreads(settings)));
        registry.bind("brokerGate", new BrokerGate(consumerConnectionFactory));
        registry.bind("deadLetters", new DeadLetters());
        registry.bind("parking", new Parking(settings));
        registry.bind("queueOrder", new QueueOrder());
        IdempotencyStore idempotencyStore = IdempotencyStore.create(settings, database);
        IdempotencyKeys idempotencyKeys = new IdempotencyKeys(idempotencyStore, settings.isOn("jms.trust-validated-user"),
                settings.get("jms.username").orElse(null));
        registry.bind("idempotencyKeys", idempotencyKeys);
        StatusStore statusStore = new StatusStore(database);
        AcceptanceWriter acceptanceWriter = new AcceptanceWriter(statusStore,
                settings.getLong("idempotency.jdbc-connect-timeout", 5000) + 5000);
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                acceptanceWriter.close();
            }
        }, true, false);
        StatusRecorder statusRecorder = new StatusRecorder(statusStore, acceptanceWriter, idempotencyKeys, meters,
                new EventTopics(sendConnectionFactory, meters, settings.isOn("notification.events-topics")));
        registry.bind("statusRecorder", statusRecorder);
        registry.bind("notificationStatus", new NotificationStatusApi(statusStore,
                TimeUtils.toMilliSeconds(settings.get("notification.retention", "7d"))));
        registry.bind("retryAfter", new RetryAfter(settings.getInt("jms.max-redeliveries", 3)));
        registry.bind("deadLetterQueue", new DeadLetterQueue(consumerConnectionFactory,
                settings.get("jms.dead-letter-queue", "integrations.dlq"), statusRecorder::replayed));

        for (Integration integration : Integration.values()) {
            if (settings.isEnabled(integration) && settings.provider(integration).equals("outbox")) {
                LOG.warn("{} uses the development outbox: messages are kept in memory (GET /api/v1/outbox) and NOT delivered",
                        integration.id());
            }
        }
    }

    /**
     * An external broker must have what the gateway relies on ({@link BrokerPolicy}): refused at start-up
     * when it is reachable and lacks it; a broker away now is checked by readiness once it answers.
     */
    private void checkBrokerPolicy(ActiveMQConnectionFactory factory, Settings settings) {
        List<String> problems;
        try (jakarta.jms.Connection connection = factory.createConnection()) {
            problems = BrokerPolicy.problems(connection, BrokerPolicy.GATEWAY_QUEUES,
                    settings.get("jms.dead-letter-queue", "integrations.dlq"));
        } catch (jakarta.jms.JMSException e) {
            LOG.warn("The external broker cannot be reached ({}): its settings are checked once it answers; not ready until then",
                    e.getClass().getSimpleName());
            return;
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationProblemsException(problems.stream()
                    .map(p -> "jms.broker-url (JMS__BROKER_URL): the broker lacks a setting the gateway relies on: " + p).toList());
        }
        LOG.info("The external broker has the settings the gateway relies on (dead-letter address, bounded redelivery, "
                + "no auto-delete, persistent duplicate-id cache)");
    }

    /** The search beans every engine shares. */
    private void bindSearch(CamelContext context, Registry registry, Settings settings, JsonRequests json) {
        registry.bind("searchReader", new SearchReader(json.mapper(), settings));
        registry.bind("searchWriteOrder", new WriteOrder(database,
                org.apache.camel.util.TimeUtils.toMilliSeconds(settings.get("search.write-order-window", "24h"))));
        registry.bind("searchOperations", new SearchOperations());
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        RouteTimers.skipRestHops(context);
        CustomProviderRoutes.addTo(context);
        RouteGauges.ignoreExchangeEvents(context);
        awaitBroker();
        HealthCheckRegistry health = HealthCheckHelper.getHealthCheckRegistry(context);
        if (health != null) {
            StatusRecorder recorder = context.getRegistry().lookupByNameAndType("statusRecorder", StatusRecorder.class);
            for (Integration integration : Integration.values()) {
                health.register(new IntegrationHealthCheck(integration, report, recorder::lastEvent));
            }
            Settings settings = Settings.of(context);
            health.register(new BrokerHealthCheck(consumerConnectionFactory,
                    broker != null || !settings.get("jms.check-broker-policy", "true").equals("true") ? null
                            : connection -> BrokerPolicy.problems(connection, BrokerPolicy.GATEWAY_QUEUES,
                                    settings.get("jms.dead-letter-queue", "integrations.dlq"))));
            health.register(new ApiKeysHealthCheck(apiKeyRing));
            health.register(new DataDirHealthCheck(dataDir, minFreeBytes));
        }
        Settings server = Settings.of(context);
        int port = server.getInt("camel.server.port", 8080);
        try {
            context.addService(new HttpGatekeeper(apiKeyRing, bodyBudget, port));
            context.addService(new HealthProbes(context, port, server.get("camel.management.health-path", "/observe/health")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Routes start after this: their consumers need the broker. */
    private void awaitBroker() {
        try {
            brokerStarted.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        }
    }

    /** What a module binds goes to the registry; its credential check under the name CredentialRecheck looks up. */
    private record Binding(CamelContext context, Settings settings, Path dataDir, ProviderModule module)
            implements ProviderBinding {

        @Override
        public void bind(String name, Object bean) {
            context.getRegistry().bind(name, bean);
        }

        @Override
        public void credentialCheck(CredentialCheck check) {
            bind(CredentialRecheck.beanName(module.routeId()), check);
        }
    }

    /** Reads the Vault secrets again every interval while Camel runs. */
    private final class VaultRefresh extends ServiceSupport {
        private final Duration interval;

        VaultRefresh(Duration interval) {
            this.interval = interval;
        }

        @Override
        protected void doStart() {
            // the API keys are checked at once: a refused set is reported without waiting for a request
            vaultSecrets.startRefresh(interval, apiKeyRing::reload);
        }

        @Override
        protected void doStop() {
            vaultSecrets.stopRefresh();
        }
    }

    /**
     * Closes the JMS resources and stops the embedded broker when Camel stops, however it is stopped;
     * Camel stops it after the routes, so consumers have finished or rolled back by then.
     */
    private final class MessagingShutdown extends ServiceSupport {
        @Override
        protected void doStop() {
            if (sendConnectionFactory != null) {
                sendConnectionFactory.destroy();
            }
            if (consumerConnectionFactory != null) {
                consumerConnectionFactory.close();
            }
            if (broker != null) {
                try {
                    brokerStarted.exceptionally(e -> null).join();
                    broker.stop();
                } catch (Exception e) {
                    LOG.warn("The embedded broker did not stop cleanly: {}", e.getMessage());
                }
            }
        }
    }

    /** The HTTP worker pool's size: also how many sends can be under way at once. */
    private static int httpWorkerThreads(Settings settings) {
        return settings.getInt("gateway.http-worker-threads", 200);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}
