package dev.jitcolumns.keycloak.model;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** SPI {@value #NAME}: the domain store of jit-columns. */
public final class JitColumnsStoreSpi implements Spi {

    public static final String NAME = "jit-columns-store";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return JitColumnsStore.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return JitColumnsStoreProviderFactory.class;
    }
}
