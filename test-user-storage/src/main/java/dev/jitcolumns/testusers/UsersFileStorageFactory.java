package dev.jitcolumns.testusers;

import java.nio.file.Path;
import java.util.List;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.storage.UserStorageProviderFactory;

/** User federation "jit-test-users-file": its component's {@code path} names the users file. */
public final class UsersFileStorageFactory implements UserStorageProviderFactory<UsersFileStorage> {

    public static final String ID = "jit-test-users-file";

    @Override
    public UsersFileStorage create(KeycloakSession session, ComponentModel model) {
        return new UsersFileStorage(session, model, new UsersFile(Path.of(model.get("path"))));
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name("path").label("Users file").type(ProviderConfigProperty.STRING_TYPE).add()
                .build();
    }
}
