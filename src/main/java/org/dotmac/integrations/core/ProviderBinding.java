package org.dotmac.integrations.core;

import java.nio.file.Path;

import org.apache.camel.CamelContext;

/** What a provider module gets to bind its beans with, once, before the routes are read. */
public interface ProviderBinding {

    CamelContext context();

    Settings settings();

    /** The gateway's data dir: a provider that keeps files keeps them below it. */
    Path dataDir();

    /** Binds a bean the provider's route file refers to by name. */
    void bind(String name, Object bean);

    /** The provider's cheapest authenticated call, re-run while its credentials are refused. */
    void credentialCheck(CredentialCheck check);
}
