package dev.jitcolumns.keycloak.notify;

import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Sends the mails of a {@link Notice} after the transaction commits (sending is synchronous and must not hold row
 * locks, and a rolled-back change tells nobody), when the realm has SMTP configured. A failed mail is logged, never
 * turned into an error of the change.
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
        if (!hasSmtpServer(realm)) {
            return;
        }
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                // The change is committed: an exception escaping here would still reach the client as an error,
                // so whatever fails while rendering or sending is logged and stops here.
                try {
                    new MailDelivery(session, realm).deliver(notice);
                } catch (Exception e) {
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
}
