package dev.jitcolumns.keycloak.notify;

import dev.jitcolumns.keycloak.model.JitColumnsStore;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.urls.HostnameProvider;
import org.keycloak.urls.UrlType;

/**
 * Tells of a {@link Notice}; a rolled-back change tells nobody. When the realm has SMTP configured, its mails are sent
 * after the transaction commits (sending is synchronous and must not hold row locks); a failed mail is logged, never
 * turned into an error of the change. When the realm has a {@link Webhook}, its delivery is queued in the change's own
 * transaction (the webhook outbox), and {@link WebhookSender} posts it once that commits, until the receiver takes it.
 */
public final class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    public Notifier(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public void afterCommit(Optional<Notice> notice) {
        notice.ifPresent(this::afterCommit);
    }

    public void afterCommit(Notice notice) {
        boolean mail = hasSmtpServer(realm);
        Optional<Webhook> webhook = Webhook.of(session, realm);
        if (!mail && webhook.isEmpty()) {
            return;
        }
        // Taken now, from the change's own request: the mail is sent in a session of its own.
        URI frontendBaseUri = frontendBaseUri();
        if (webhook.isPresent()) {
            queueDelivery(notice, frontendBaseUri);
        }
        if (mail) {
            mailAfterCommit(notice, frontendBaseUri);
        }
    }

    /** The body is rendered now: what the receiver gets, and its delivery id, are fixed when the change commits. */
    private void queueDelivery(Notice notice, URI frontendBaseUri) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        String link = frontendBaseUri == null ? null : new ConsoleLinks(frontendBaseUri, realm.getName()).forMail(notice);
        session.getProvider(JitColumnsStore.class).queueDelivery(realm, id, notice.mail().name(),
                WebhookDelivery.body(notice, realm.getName(), link, id, now), now);
    }

    private void mailAfterCommit(Notice notice, URI frontendBaseUri) {
        String realmId = realm.getId();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                // The change is committed: an exception escaping here would still reach the client as an error,
                // so whatever fails while resolving, rendering or sending is logged and stops here.
                try {
                    KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s ->
                            new MailDelivery(s, s.realms().getRealm(realmId), frontendBaseUri).deliver(notice));
                } catch (RuntimeException e) {
                    LOG.warnf(e, "jit-columns: the %s notification failed", notice.mail());
                }
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    static boolean hasSmtpServer(RealmModel realm) {
        Map<String, String> smtp = realm.getSmtpConfig();
        return smtp != null && smtp.get("host") != null && !smtp.get("host").isBlank();
    }

    /**
     * The base URI Keycloak puts in its own links. Outside an HTTP request (the scheduler's escalations) the context
     * has none; the hostname provider still knows it from the realm's Frontend URL or a {@code hostname} given as a
     * URL. Without either the mail goes out without a link rather than not at all.
     */
    private URI frontendBaseUri() {
        try {
            return session.getContext().getUri(UrlType.FRONTEND).getBaseUri();
        } catch (RuntimeException noRequest) {
            try {
                return session.getProvider(HostnameProvider.class).getBaseUri(null, UrlType.FRONTEND);
            } catch (RuntimeException noHostname) {
                LOG.warnf("jit-columns: a mail sent outside an HTTP request has no link: set the realm's Frontend URL"
                        + " or the server option hostname to a URL");
                return null;
            }
        }
    }
}
