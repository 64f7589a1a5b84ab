package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.ChangeListener;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.model.JitColumnsStoreProviderFactory;
import dev.jitcolumns.keycloak.model.WebhookSettings;
import dev.jitcolumns.keycloak.notify.Webhook;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.JsonBody;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /webhook}: where the realm's notices are also posted, kept in two realm attributes. Its own endpoint rather
 * than the realm's: a realm update replaces all attributes at once. It sends requests and reasons out of Keycloak, so
 * it needs {@code manage-realm}; the secret is written, never read back.
 */
public final class WebhookResource extends AdminResource {

    private static final Set<String> FIELDS = Set.of("url", "secret");
    /** HMAC keys shorter than this are guessable from a few signatures. */
    private static final int MIN_SECRET = 16;

    WebhookResource(AdminResource parent) {
        super(parent);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        return respond(() -> {
            authz.requireRealmManager();
            return representation();
        });
    }

    /** {@code {url, secret?}}: the secret may be left out to keep the one set before. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(InputStream body) {
        return respond(() -> {
            authz.requireRealmManager();
            JsonBody in = JsonBody.read(body, FIELDS);
            String url = in.string("url", true, 2048);
            URI checked;
            try {
                checked = Webhook.checkUrl(url);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("url", "url " + e.getMessage() + ".");
            }
            String secret = in.string("secret", false, 1024);
            if (secret == null && store().webhookSettings(realm).isEmpty()) {
                throw ApiError.badRequest("secret", "secret is required: every delivery is signed with it.");
            }
            if (secret != null && secret.length() < MIN_SECRET && !secret.startsWith("${vault.")) {
                throw ApiError.badRequest("secret", "secret must have at least " + MIN_SECRET + " characters, or be a vault reference ${vault.key}.");
            }
            try { // last: it resolves the host
                ((JitColumnsStoreProviderFactory) session.getKeycloakSessionFactory().getProviderFactory(JitColumnsStore.class))
                        .webhookAddresses().check(checked);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("url", "url " + e.getMessage() + ".");
            }
            store().saveWebhookSettings(realm, url.strip(), secret);
            // The trail and the admin events get the origin only: the path may hold the receiver's credential.
            configurationChanged(ChangeListener.Kind.UPDATE, "WEBHOOK_UPDATED", "webhook",
                    Map.of("origin", Webhook.originOf(checked), "secretSet", true));
            return representation();
        });
    }

    @DELETE
    public Response delete() {
        return deleted(() -> {
            authz.requireRealmManager();
            store().deleteWebhookSettings(realm);
            configurationChanged(ChangeListener.Kind.DELETE, "WEBHOOK_DELETED", "webhook", Map.of());
        });
    }

    private Map<String, Object> representation() {
        Optional<WebhookSettings> settings = store().webhookSettings(realm);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", settings.map(WebhookSettings::url).orElse(null));
        m.put("secretSet", settings.isPresent());
        return m;
    }
}
