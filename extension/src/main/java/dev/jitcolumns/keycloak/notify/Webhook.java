package dev.jitcolumns.keycloak.notify;

import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.model.WebhookSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.VaultStringSecret;

/**
 * The realm's webhook as the store keeps it ({@link WebhookSettings}): an http or https URL, and the key that signs each
 * delivery, given as is or as a Keycloak vault reference ({@code ${vault.jit_webhook}}) like the SMTP password.
 */
public record Webhook(URI url, String secret) {

    private static final Logger LOG = Logger.getLogger(Webhook.class);

    /**
     * The realm's webhook, if it has a usable one. Read in the change's session: the vault needs it. A webhook that is
     * half configured sends nothing, and says why in the log: an unsigned delivery would teach receivers to skip the check.
     */
    static Optional<Webhook> of(KeycloakSession session, RealmModel realm) {
        WebhookSettings settings = session.getProvider(JitColumnsStore.class).webhookSettings(realm).orElse(null);
        if (settings == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = checkUrl(settings.url());
        } catch (IllegalArgumentException e) {
            LOG.warnf("jit-columns: realm %s: the webhook's url %s, no webhook sent", realm.getName(), e.getMessage());
            return Optional.empty();
        }
        Optional<String> secret = secret(session, settings.secret());
        if (secret.isEmpty()) {
            LOG.warnf("jit-columns: realm %s: the webhook's secret is not in the vault, no webhook sent", realm.getName());
            return Optional.empty();
        }
        return Optional.of(new Webhook(uri, secret.get()));
    }

    /** The URL a webhook may have: absolute, http or https, with a host; else the exception says what is wrong. */
    public static URI checkUrl(String value) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL");
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an http or https URL with a host");
        }
        return uri;
    }

    /** Where deliveries go, for the log: the URL's path may hold a credential (as chat services' webhook URLs do). */
    String origin() {
        return originOf(url);
    }

    public static String originOf(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }

    @Override
    public String toString() {
        return "Webhook[" + origin() + "]";
    }

    private static Optional<String> secret(KeycloakSession session, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(value)) {
            return secret.get().filter(s -> !s.isEmpty());
        }
    }
}
