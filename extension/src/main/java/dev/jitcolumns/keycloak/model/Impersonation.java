package dev.jitcolumns.keycloak.model;

import java.util.Optional;
import org.keycloak.models.ImpersonationSessionNote;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;

/**
 * Who impersonates the user of a session, as Keycloak notes it on the session. Just-in-time access is personal: under
 * impersonation nothing is requested, decided, revoked or changed in the user's name, and no token carries their
 * grants. Reads stay open, so that a helpdesk sees what the user sees.
 */
public final class Impersonation {

    private Impersonation() {
    }

    /** Keycloak's authentication method of every session it creates for an impersonation. */
    static final String AUTH_METHOD = "impersonate";

    /**
     * The impersonator's username, if the session is an impersonation. The method counts as well as the note:
     * Keycloak's legacy token exchange creates an impersonation session without the note when a client asks for
     * a user's token with no token of its own (direct naked impersonation).
     */
    public static Optional<String> impersonatorOf(UserSessionModel userSession) {
        if (userSession == null) {
            return Optional.empty();
        }
        String impersonator = userSession.getNote(ImpersonationSessionNote.IMPERSONATOR_USERNAME.toString());
        if (impersonator == null && AUTH_METHOD.equals(userSession.getAuthMethod())) {
            return Optional.of("a client");
        }
        return Optional.ofNullable(impersonator);
    }

    /** The same for the session of a bearer token of {@code realm} (the realm that issued it). */
    public static Optional<String> impersonatorOf(KeycloakSession session, RealmModel realm, AccessToken token) {
        UserSessionModel userSession = session.getContext().getUserSession();
        if ((userSession == null || !userSession.getId().equals(token.getSessionId())) && token.getSessionId() != null) {
            userSession = session.sessions().getUserSession(realm, token.getSessionId());
        }
        return impersonatorOf(userSession);
    }

    /** 403 for a change attempted under impersonation. */
    public static void requireInPerson(Optional<String> impersonator, String username) {
        impersonator.ifPresent(by -> {
            throw DomainException.forbidden(by + " is impersonating " + username
                    + ": requests, decisions, revocations, database tokens and catalog changes are made by people in person.");
        });
    }
}
