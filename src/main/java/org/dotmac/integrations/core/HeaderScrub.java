package org.dotmac.integrations.core;

import org.apache.camel.Message;

/**
 * Drops the headers a caller or a provider put on a message. Not {@code removeHeaders("*", excludes...)}:
 * Camel compiles each exclude as a regular expression for every header that does not match it as a
 * wildcard, 5% of a synchronous send's CPU (JFR).
 */
public final class HeaderScrub {

    private static final String CAMEL = "Camel";
    private static final String REDELIVERY = "CamelRedelivery";

    private HeaderScrub() {
    }

    /** Keeps Camel's own headers (CamelHttpResponseCode and the like) only. */
    public static void keepCamel(Message message) {
        message.getHeaders().keySet().removeIf(name -> !startsWith(name, CAMEL));
    }

    /**
     * Keeps the error handler's redelivery counters (without them a retried message would be retried
     * for ever) and the headers named.
     */
    public static void keepRedelivery(Message message, String... names) {
        message.getHeaders().keySet().removeIf(name -> !startsWith(name, REDELIVERY) && !named(name, names));
    }

    private static boolean startsWith(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static boolean named(String name, String[] names) {
        for (String kept : names) {
            if (kept.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
