package dev.jitcolumns.keycloak.model;

import org.keycloak.provider.ProviderFactory;

public interface JitColumnsStoreProviderFactory extends ProviderFactory<JitColumnsStore> {
}
