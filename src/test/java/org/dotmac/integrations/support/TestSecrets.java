package org.dotmac.integrations.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every secret value the suite hands to the gateway or its doubles, in one place, so that
 * {@code SuiteLogScanTest} can prove that none of them reaches a log line of the whole suite.
 * A test that needs a new secret adds it here.
 */
public final class TestSecrets {

    public static final String GATEWAY_API_KEY = "test-key-0123456789abcdef";
    public static final String GATEWAY_API_KEY_WRONG = "wrong-key-0123456789abcdef";
    public static final String GATEWAY_API_KEY_ROTATED = "rotated-api-key-0123456789abcdefghij";
    public static final String GATEWAY_API_KEY_UNUSED = "unused-key-0123456789abcdef";
    public static final String VAULT_TOKEN = "hvs.test-token-0123456789abcdefghij";
    public static final String VAULT_TOKEN_FROM_PROCESS = "hvs.process-token-0123456789abcdef";
    public static final String VAULT_TOKEN_WRONG = "hvs.wrong-token-0123456789abcdef";
    public static final String SENDGRID_API_KEY = "SG.test-key.0123456789abcdefghijklmnopqrstuvwxyz";
    public static final String SENDGRID_API_KEY_FROM_VAULT = "SG.from-vault.v1-0123456789abcdefghijklmnop";
    public static final String SENDGRID_API_KEY_ROTATED = "SG.from-vault.v2-qrstuvwxyz0123456789abcd";
    public static final String SENDGRID_API_KEY_FROM_PROPERTY = "SG.from-property-0123456789abcdef";
    public static final String SENDGRID_API_KEY_INSTANCE_A = "SG.instance-a-0123456789abcdefghij";
    public static final String SENDGRID_API_KEY_INSTANCE_B = "SG.instance-b-0123456789abcdefghij";
    public static final String SENDGRID_API_KEY_INSTANCE_C = "SG.instance-c-0123456789abcdefghij";
    public static final String TWILIO_AUTH_TOKEN = "twilio-auth-token-0123456789abcdef";
    public static final String TWILIO_AUTH_TOKEN_FROM_VAULT = "twilio-token-from-vault-0123456789abcdef";
    public static final String TWILIO_AUTH_TOKEN_ROTATED = "twilio-token-rotated-0123456789abcdef";
    public static final String SENDGRID_API_KEY_REVOKED = "SG.revoked-0123456789abcdefghijklmn";
    public static final String TWILIO_AUTH_TOKEN_REVOKED = "twilio-token-revoked-0123456789abcdef";
    public static final String S3_SECRET_KEY_REVOKED = "s3-secret-revoked-0123456789abcdefgh";
    public static final String TWILIO_API_KEY_SECRET = "api-key-secret-0123456789abcdef";
    public static final String SMTP_PASSWORD = "smtp-password-0123456789";
    public static final String SMTP_PASSWORD_FROM_VAULT = "smtp-password-from-vault-0123456789";
    public static final String SMTP_PASSWORD_WRONG = "wrong-password-0123456789";
    public static final String S3_SECRET_KEY = "s3-secret-key-0123456789abcdefghij";
    public static final String ELASTICSEARCH_API_KEY = "ZXMtYXBpLWtleS1pZDplcy1hcGkta2V5LXNlY3JldA==";
    public static final String SEARCH_PASSWORD = "search-password-0123456789";
    public static final String SEARCH_PASSWORD_FROM_VAULT = "search-password-from-vault-0123456789";
    public static final String IDEMPOTENCY_DB_PASSWORD = "idempotency-db-password-0123456789";
    public static final String JMS_PASSWORD_ALICE = "alice-jms-password-0123456789";
    public static final String JMS_PASSWORD_BOB = "bob-jms-password-0123456789";
    public static final String MEILISEARCH_API_KEY = "meili-master-key-0123456789abcdef";
    public static final String SES_SECRET_KEY = "ses-secret-key-0123456789abcdefghij";
    public static final String SNS_SECRET_KEY = "sns-secret-key-0123456789abcdefghij";

    private TestSecrets() {
    }

    /** Every constant above, by name. */
    public static Map<String, String> byName() {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (Field field : TestSecrets.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    secrets.put(field.getName(), (String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return secrets;
    }
}
