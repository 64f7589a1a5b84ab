package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.AccessService;
import dev.jitcolumns.keycloak.model.ChangeListener;
import dev.jitcolumns.keycloak.model.DomainException;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.QueryParams;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.Supplier;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * What every resource under {@code /admin/realms/{realm}/jit-columns} shares: the realm, our authorizer, the admin
 * events, and the mapping of domain errors to HTTP answers.
 */
public abstract class AdminResource {

    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 500;

    final KeycloakSession session;
    final RealmModel realm;
    final JitAuthorizer authz;
    final ChangeListener events;

    AdminResource(KeycloakSession session, RealmModel realm, JitAuthorizer authz, ChangeListener events) {
        this.session = session;
        this.realm = realm;
        this.authz = authz;
        this.events = events;
    }

    /** A sub-resource of {@code parent}, in the same request. */
    AdminResource(AdminResource parent) {
        this(parent.session, parent.realm, parent.authz, parent.events);
    }

    /** The {@code max} of a page: {@value #DEFAULT_PAGE} unless given, between 1 and {@value #MAX_PAGE}. */
    static int maxOf(String max) {
        return QueryParams.max(max, DEFAULT_PAGE, MAX_PAGE);
    }

    Response respond(Supplier<Object> call) {
        try {
            requireInPersonForChanges();
            return Response.ok(call.get(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    /** 201 with the location {@code /admin/realms/{realm}/jit-columns/<key>} and the value as body. */
    Response created(Supplier<Map.Entry<String, Map<String, Object>>> call) {
        try {
            requireInPersonForChanges();
            Map.Entry<String, Map<String, Object>> e = call.get();
            return Response.created(session.getContext().getUri().getAbsolutePathBuilder().replacePath(
                    session.getContext().getUri().getBaseUri().getPath()).path("admin/realms").path(realm.getName())
                    .path("jit-columns").path(e.getKey()).build()).entity(e.getValue()).type(MediaType.APPLICATION_JSON_TYPE).build();
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    Response deleted(Runnable call) {
        try {
            requireInPersonForChanges();
            call.run();
            return Response.noContent().build();
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    private void requireInPersonForChanges() {
        if (!"GET".equals(session.getContext().getHttpRequest().getHttpMethod())) {
            authz.requireInPerson();
        }
    }

    /** A change of the realm's jit-columns configuration (catalog, client scope, webhook): audited, and an admin event. */
    void configurationChanged(ChangeListener.Kind kind, String action, String path, Map<String, Object> representation) {
        service().auditCatalog(authz.user(), action, Map.of("resource", path, "value", representation));
        events.changed(kind, action, path, representation);
    }

    JitColumnsStore store() {
        return session.getProvider(JitColumnsStore.class);
    }

    AccessService service() {
        return new AccessService(session, realm, events);
    }
}
