package org.dotmac.integrations.core;

/** Where a start-up check reports what is wrong with one property (its environment name is added). */
@FunctionalInterface
public interface ProblemReport {

    void report(String key, String problem);
}
