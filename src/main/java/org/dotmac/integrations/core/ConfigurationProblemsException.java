package org.dotmac.integrations.core;

import java.util.List;

/** The configuration cannot work; the message lists every problem, one a line. */
public class ConfigurationProblemsException extends RuntimeException {

    private final List<String> problems;

    public ConfigurationProblemsException(List<String> problems) {
        super("The gateway cannot start: " + problems.size() + " configuration problem"
                + (problems.size() == 1 ? "" : "s") + "\n  - " + String.join("\n  - ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
