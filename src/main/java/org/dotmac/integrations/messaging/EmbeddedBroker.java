package org.dotmac.integrations.messaging;

import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMS broker of the embedded defaults: ActiveMQ Artemis in this JVM with a persistent journal
 * under the data dir, reachable in-VM and, for other processes, on a loopback TCP port.
 */
public final class EmbeddedBroker {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    /** Where this JVM's clients connect. */
    public static final String IN_VM_URL = "vm://0";

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final String tcpUrl;

    public EmbeddedBroker(Path dataDir, String host, int port, int maxDeliveryAttempts, long redeliveryDelayMillis,
            String deadLetterQueue, int duplicateIdCacheSize, int journalBufferTimeoutNanos, long globalMaxSize) throws Exception {
        this.tcpUrl = "tcp://" + host + ":" + port;
        Path dir = dataDir.resolve("broker");
        Configuration config = new ConfigurationImpl()
                .setName("dotmac-gateway")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                // how long the journal gathers writes before one fsync (Artemis' NIO default is 3.3 ms):
                // every accepted request waits for it, so it is most of a request's latency below saturation
                .setJournalBufferTimeout_NIO(journalBufferTimeoutNanos)
                // the same for paged messages (a backlog beyond global-max-size), whose syncs wait 3.3 ms otherwise
                .setPageSyncTimeout(journalBufferTimeoutNanos)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setSecurityEnabled(false)
                // Idempotency-Key: duplicate ids are remembered across restarts, this many per queue
                .setIDCacheSize(duplicateIdCacheSize)
                .setPersistIDCache(true)
                .setJMXManagementEnabled(false)
                // messages beyond this many bytes in memory are paged to disk (AddressFullMessagePolicy.PAGE
                // below); Artemis' default, half the heap, lets a backlog take the heap the gateway needs
                .setGlobalMaxSize(globalMaxSize)
                .addAcceptorConfiguration("in-vm", IN_VM_URL)
                .addAcceptorConfiguration("tcp", tcpUrl);
        // bounded redelivery by the broker itself: the safety net for a consumer that dies mid-message
        config.addAddressSetting("#", new AddressSettings()
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setRedeliveryDelay(redeliveryDelayMillis)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(Math.max(redeliveryDelayMillis, 60_000))
                .setDeadLetterAddress(SimpleString.of(deadLetterQueue))
                .setAutoCreateDeadLetterResources(false)
                .setExpiryAddress(SimpleString.of("integrations.expired"))
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                // the integration queues are durable: never reaped when idle, which would also drop their
                // duplicate-id cache (the Idempotency-Key window)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false));
        server.setConfiguration(config);
    }

    public void start() throws Exception {
        server.start();
        // Artemis logs a failed acceptor and carries on: a broker nobody can reach must stop the start-up
        var remoting = server.getActiveMQServer().getRemotingService();
        var tcp = remoting.getAcceptor("tcp");
        var inVm = remoting.getAcceptor("in-vm");
        if (tcp == null || !tcp.isStarted() || inVm == null || !inVm.isStarted()) {
            server.stop();
            throw new IllegalStateException("the embedded JMS broker could not listen on " + tcpUrl
                    + " (jms.embedded.port / JMS__EMBEDDED__PORT) or in this JVM: is another broker or gateway running?");
        }
        LOG.info("Embedded JMS broker started: journal under the data dir, other processes connect to {}", tcpUrl);
    }

    public void stop() throws Exception {
        server.stop();
    }

    public String tcpUrl() {
        return tcpUrl;
    }
}
