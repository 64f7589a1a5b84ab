package dev.jitcolumns.testusers;

import org.keycloak.component.ComponentModel;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.storage.StorageId;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.user.UserLookupProvider;

/** Users that only the file holds: Keycloak keeps no row of them (ids {@code f:<component>:<username>}). */
final class UsersFileStorage implements UserStorageProvider, UserLookupProvider, CredentialInputValidator {

    private final KeycloakSession session;
    private final ComponentModel model;
    private final UsersFile file;

    UsersFileStorage(KeycloakSession session, ComponentModel model, UsersFile file) {
        this.session = session;
        this.model = model;
        this.file = file;
    }

    @Override
    public UserModel getUserById(RealmModel realm, String id) {
        return getUserByUsername(realm, StorageId.externalId(id));
    }

    @Override
    public UserModel getUserByUsername(RealmModel realm, String username) {
        return file.find(username).map(e -> (UserModel) new FileUser(session, realm, model, e)).orElse(null);
    }

    @Override
    public UserModel getUserByEmail(RealmModel realm, String email) {
        return email.endsWith("@example.test") ? getUserByUsername(realm, email.substring(0, email.indexOf('@'))) : null;
    }

    @Override
    public boolean supportsCredentialType(String type) {
        return PasswordCredentialModel.TYPE.equals(type);
    }

    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String type) {
        return supportsCredentialType(type);
    }

    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        return supportsCredentialType(input.getType())
                && file.find(user.getUsername()).filter(e -> e.password().equals(input.getChallengeResponse())).isPresent();
    }

    @Override
    public void close() {
    }
}
