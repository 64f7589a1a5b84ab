package dev.jitcolumns.keycloak.notify;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailSenderProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * E-mails approvers after the transaction commits (sending is synchronous and must not hold row locks), when
 * the realm has SMTP configured. A failed mail is logged, never turned into an error of the change.
 */
public final class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    public Notifier(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public void afterCommit(Collection<UserModel> recipients, String subject, String text) {
        Map<String, String> smtp = realm.getSmtpConfig();
        if (smtp == null || smtp.get("host") == null || smtp.get("host").isBlank()) {
            return;
        }
        List<String> addresses = recipients.stream().map(UserModel::getEmail)
                .filter(e -> e != null && !e.isBlank()).distinct().toList();
        if (addresses.isEmpty()) {
            return;
        }
        Map<String, String> config = Map.copyOf(smtp);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                EmailSenderProvider sender = session.getProvider(EmailSenderProvider.class);
                for (String address : addresses) {
                    try {
                        sender.send(config, address, subject, text, null);
                    } catch (EmailException e) {
                        LOG.warnf("jit-columns: could not e-mail %s: %s", address, e.getMessage());
                    }
                }
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }
}
