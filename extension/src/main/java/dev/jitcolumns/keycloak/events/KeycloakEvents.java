package dev.jitcolumns.keycloak.events;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.ChangeListener;
import dev.jitcolumns.keycloak.model.Grant;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.util.JsonSerialization;

/**
 * Changes as Keycloak events, so existing event listeners and SIEM forwarders see them: admin events
 * ({@code ResourceType.CUSTOM}, path {@code jit-columns/...}, the action in the details) and, for the user a change
 * is about, user events ({@code CUSTOM_REQUIRED_ACTION} with {@code custom_required_action=jit-columns}).
 */
public final class KeycloakEvents {

    private static final Logger LOG = Logger.getLogger(KeycloakEvents.class);
    private static final String PATH_PREFIX = "jit-columns/";

    private KeycloakEvents() {
    }

    /** Admin events through the builder Keycloak gave the admin resource. */
    public static ChangeListener admin(RealmModel realm, AdminEventBuilder builder) {
        return (kind, action, path, representation) -> builder
                .resource(ResourceType.CUSTOM).operation(operation(kind)).resourcePath(PATH_PREFIX + path)
                .representation(keptRepresentation(realm, representation)).detail("action", action).success();
    }

    /** For a requester on the user API: a user event, and an admin event so that break glass reaches admin-event listeners too. */
    public static ChangeListener user(KeycloakSession session, RealmModel realm, AuthResult auth) {
        return (kind, action, path, representation) -> {
            userEvent(new EventBuilder(realm, session, session.getContext().getConnection()), action, path)
                    .user(auth.getUser()).client(auth.getClient()).success();
            new AdminEventBuilder(realm, new AdminAuth(realm, auth.getToken(), auth.getUser(), auth.getClient()), session,
                    session.getContext().getConnection())
                    .resource(ResourceType.CUSTOM).operation(operation(kind)).resourcePath(PATH_PREFIX + path)
                    .representation(keptRepresentation(realm, representation)).detail("action", action).success();
        };
    }

    /**
     * Keycloak hands the representation to stores and listeners only when the realm includes details in admin events;
     * serialising it otherwise was a tenth of the CPU of creating a request.
     */
    private static Object keptRepresentation(RealmModel realm, Object representation) {
        return realm.isAdminEventsDetailsEnabled() ? representation : null;
    }

    /**
     * For changes nobody asked for in a request (expiry, timeout, escalation by the scheduler): an admin event with no
     * acting user or client, and a user event for the requester or grant holder.
     */
    public static ChangeListener system(KeycloakSession session, RealmModel realm) {
        return (kind, action, path, representation) -> {
            sendAdminEvent(session, realm, systemAdminEvent(realm, kind, action, path, representation));
            String userId = representation instanceof Grant g ? g.userId()
                    : representation instanceof AccessRequest r ? r.requesterId() : null;
            if (userId != null) {
                userEvent(new EventBuilder(realm, session), action, path).user(userId).success();
            }
        };
    }

    private static EventBuilder userEvent(EventBuilder builder, String action, String path) {
        return builder.event(EventType.CUSTOM_REQUIRED_ACTION).detail("custom_required_action", "jit-columns")
                .detail("jit_action", action).detail("jit_resource", path);
    }

    private static AdminEvent systemAdminEvent(RealmModel realm, ChangeListener.Kind kind, String action, String path,
                                               Object representation) {
        AdminEvent event = new AdminEvent();
        event.setId(UUID.randomUUID().toString());
        event.setTime(Time.currentTimeMillis());
        event.setRealmId(realm.getId());
        event.setRealmName(realm.getName());
        AuthDetails auth = new AuthDetails();
        auth.setRealmId(realm.getId());
        auth.setRealmName(realm.getName());
        event.setAuthDetails(auth);
        event.setResourceType(ResourceType.CUSTOM);
        event.setOperationType(operation(kind));
        event.setResourcePath(PATH_PREFIX + path);
        event.setDetails(Map.of("action", action));
        if (keptRepresentation(realm, representation) != null) {
            try {
                event.setRepresentation(JsonSerialization.writeValueAsString(representation));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return event;
    }

    /** What {@link AdminEventBuilder} does on success, for an event that has no admin behind it. */
    private static void sendAdminEvent(KeycloakSession session, RealmModel realm, AdminEvent event) {
        boolean withRepresentation = realm.isAdminEventsDetailsEnabled();
        if (realm.isAdminEventsEnabled()) {
            session.getProvider(EventStoreProvider.class).onEvent(event, withRepresentation);
        }
        realm.getEventsListenersStream().forEach(id -> {
            EventListenerProvider listener = session.getProvider(EventListenerProvider.class, id);
            try {
                if (listener != null) {
                    listener.onEvent(event, withRepresentation);
                }
            } catch (RuntimeException e) {
                LOG.warnf("jit-columns: event listener %s failed: %s", id, e.toString());
            }
        });
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
