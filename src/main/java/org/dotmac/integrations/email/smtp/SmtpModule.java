package org.dotmac.integrations.email.smtp;

import java.util.List;

import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;

/** A mail server over SMTP (camel-mail), plain, STARTTLS or implicit TLS. */
public final class SmtpModule implements ProviderModule {

    @Override
    public Integration integration() {
        return Integration.EMAIL;
    }

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("email.smtp.host", "", "the mail server's host name").required(),
                Setting.of("email.smtp.port", "25", "mail server port (587 for starttls, 465 for tls, usually)").port(),
                Setting.of("email.smtp.security", "none", "`none`, `starttls` or `tls` (implicit TLS)")
                        .oneOf("a mode", "none", "starttls", "tls"),
                Setting.of("email.smtp.username", "", "SMTP user; none: no authentication").vault("email/smtp", "username"),
                Setting.of("email.smtp.password", "", "the SMTP user's password")
                        .requiredWhen(s -> s.get("email.smtp.username").isPresent(), "and email.smtp.username is set")
                        .secret().vault("email/smtp", "password"),
                Setting.of("email.smtp.ssl-trust", "",
                        "hosts whose certificate is trusted without a CA chain (JavaMail `mail.smtp.ssl.trust`); empty: the JVM's CAs"),
                Setting.of("email.smtp.check-server-identity", "true", "verify that the certificate names the host").flag(),
                Setting.of("email.smtp.timeout", "10000", "connect, read and write timeout, ms").milliseconds());
    }

    @Override
    public String callTimeoutKey() {
        return "email.smtp.timeout";
    }

    @Override
    public void bind(ProviderBinding binding) {
        binding.bind("smtp", new SmtpMail(binding.settings()));
        binding.bind("smtpJavaMailProperties", SmtpMail.javaMailProperties(binding.settings()));
        binding.bind("smtpAuthenticator", SmtpMail.authenticator(binding.settings()));
        binding.credentialCheck(SmtpMail.credentialCheck(binding.settings()));
    }
}
