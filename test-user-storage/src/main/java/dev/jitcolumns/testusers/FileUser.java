package dev.jitcolumns.testusers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.ReadOnlyException;
import org.keycloak.storage.adapter.AbstractUserAdapterFederatedStorage;

/**
 * A user of the file, with the profile Keycloak's default user profile asks for. What Keycloak keeps of it (required
 * actions, role mappings, an administrator's "disabled") is in its federated storage, as for LDAP without import.
 */
final class FileUser extends AbstractUserAdapterFederatedStorage {

    private final UsersFile.Entry entry;

    FileUser(KeycloakSession session, RealmModel realm, ComponentModel model, UsersFile.Entry entry) {
        super(session, realm, model);
        this.entry = entry;
    }

    @Override
    public String getUsername() {
        return entry.username();
    }

    @Override
    public void setUsername(String username) {
        throw new ReadOnlyException("the users file names its users");
    }

    /** Disabled in the directory, or by an administrator in Keycloak. */
    @Override
    public boolean isEnabled() {
        return entry.enabled() && super.isEnabled();
    }

    @Override
    public String getEmail() {
        return entry.username() + "@example.test";
    }

    @Override
    public boolean isEmailVerified() {
        return true;
    }

    @Override
    public String getFirstName() {
        return "File";
    }

    @Override
    public String getLastName() {
        return entry.username();
    }

    @Override
    public Map<String, List<String>> getAttributes() {
        Map<String, List<String>> attributes = new HashMap<>(super.getAttributes());
        attributes.put(UserModel.USERNAME, List.of(getUsername()));
        attributes.put(UserModel.EMAIL, List.of(getEmail()));
        attributes.put(UserModel.FIRST_NAME, List.of(getFirstName()));
        attributes.put(UserModel.LAST_NAME, List.of(getLastName()));
        return attributes;
    }

    @Override
    public String getFirstAttribute(String name) {
        List<String> values = getAttributes().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Stream<String> getAttributeStream(String name) {
        return getAttributes().getOrDefault(name, List.of()).stream();
    }
}
