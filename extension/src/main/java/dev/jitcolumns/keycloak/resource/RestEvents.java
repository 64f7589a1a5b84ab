package dev.jitcolumns.keycloak.resource;

import dev.jitcolumns.keycloak.model.ChangeListener;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;

/** Changes as Keycloak events: admin events ({@code ResourceType.CUSTOM}) and, for the requester, user events. */
public final class RestEvents {

    private RestEvents() {
    }

    /** Admin events through the builder Keycloak gave the admin resource. */
    public static ChangeListener admin(AdminEventBuilder builder) {
        return (kind, action, path, representation) -> builder
                .resource(ResourceType.CUSTOM).operation(operation(kind))
                .resourcePath("jit-columns/" + path).representation(representation).detail("action", action).success();
    }

    /**
     * For a requester on the user API: a user event ({@code CUSTOM_REQUIRED_ACTION} carrying the action in its
     * details) and an admin event, so that break glass reaches admin-event listeners too.
     */
    public static ChangeListener user(KeycloakSession session, RealmModel realm, AuthResult auth) {
        return (kind, action, path, representation) -> {
            new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.CUSTOM_REQUIRED_ACTION)
                    .user(auth.getUser()).client(auth.getClient()).detail("custom_required_action", "jit-columns")
                    .detail("jit_action", action).detail("jit_resource", path).success();
            new AdminEventBuilder(realm, new AdminAuth(realm, auth.getToken(), auth.getUser(), auth.getClient()), session,
                    session.getContext().getConnection())
                    .resource(ResourceType.CUSTOM).operation(operation(kind)).resourcePath("jit-columns/" + path)
                    .representation(representation).detail("action", action).success();
        };
    }

    private static OperationType operation(ChangeListener.Kind kind) {
        return switch (kind) {
            case CREATE -> OperationType.CREATE;
            case UPDATE -> OperationType.UPDATE;
            case DELETE -> OperationType.DELETE;
            case ACTION -> OperationType.ACTION;
        };
    }
}
