package org.dotmac.integrations.core;

/**
 * A provider's cheapest authenticated call, made in the background to learn whether credentials it
 * refused are accepted again. Bound in the registry as {@code credentials-<integration>-<provider>}.
 */
@FunctionalInterface
public interface CredentialCheck {

    enum Verdict {
        /** The provider accepted the credentials. */
        ACCEPTED,
        /** The provider refused them again. */
        REFUSED,
        /** The call could not tell: the credentials may not make it, or the provider did not answer. */
        UNKNOWN
    }

    /** What one check found; the detail never holds a secret. */
    record Outcome(Verdict verdict, String detail) {

        public static Outcome accepted(String detail) {
            return new Outcome(Verdict.ACCEPTED, detail);
        }

        public static Outcome refused(String detail) {
            return new Outcome(Verdict.REFUSED, detail);
        }

        public static Outcome unknown(String detail) {
            return new Outcome(Verdict.UNKNOWN, detail);
        }

        /** An HTTP probe's answer: 2xx accepted, 401 refused, anything else (403: not allowed to ask) unknown. */
        public static Outcome ofHttpStatus(String call, int status) {
            if (status >= 200 && status < 300) {
                return accepted(call + " answered " + status);
            }
            if (status == 401) {
                return refused(call + " answered 401");
            }
            return unknown(call + " answered " + status + (status == 403 ? " (the credentials may not make this call)" : ""));
        }
    }

    Outcome check() throws Exception;
}
