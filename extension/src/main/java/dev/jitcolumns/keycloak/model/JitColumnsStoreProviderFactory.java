package dev.jitcolumns.keycloak.model;

import dev.jitcolumns.keycloak.notify.WebhookAddresses;
import org.keycloak.provider.ProviderFactory;

public interface JitColumnsStoreProviderFactory extends ProviderFactory<JitColumnsStore> {

    /** The operator's rule for the hosts a webhook may post to. */
    WebhookAddresses webhookAddresses();
}
