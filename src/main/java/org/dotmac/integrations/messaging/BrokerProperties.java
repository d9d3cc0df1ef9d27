package org.dotmac.integrations.messaging;

import org.apache.camel.Message;

/**
 * Artemis' own message properties ({@code _AMQ_DUPL_ID}, {@code _AMQ_ORIG_ADDRESS}, a schedule...) as a
 * consumed message carries them. They describe one send: a copy the gateway sends again (parked,
 * dead-lettered, replayed) must not take them along, or the broker treats it as that send's repeat.
 */
final class BrokerProperties {

    static final String PREFIX = "_AMQ";

    private BrokerProperties() {
    }

    static void drop(Message message) {
        message.getHeaders().keySet().removeIf(BrokerProperties::isBrokers);
    }

    static boolean isBrokers(String name) {
        return name.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }
}
