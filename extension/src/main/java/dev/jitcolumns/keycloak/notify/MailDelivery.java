package dev.jitcolumns.keycloak.notify;

import dev.jitcolumns.keycloak.model.Approvers;
import dev.jitcolumns.keycloak.model.Stage;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Resolves a {@link Notice}'s audience to users and sends each one the mail, rendered by Keycloak's
 * {@link EmailTemplateProvider} in the recipient's locale. Runs after the change committed, in a session and
 * transaction of its own: the change's session can no longer query (group members, users) once committed.
 */
final class MailDelivery {

    private static final Logger LOG = Logger.getLogger(MailDelivery.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final URI frontendBaseUri;

    /** {@code frontendBaseUri} null: the mails carry no link. */
    MailDelivery(KeycloakSession session, RealmModel realm, URI frontendBaseUri) {
        this.session = session;
        this.realm = realm;
        this.frontendBaseUri = frontendBaseUri;
    }

    /** Logs what it cannot send: the change this tells about is already committed. */
    void deliver(Notice notice) {
        // A new session is bound to no realm: Keycloak's user lookups and the email theme read it from the context.
        session.getContext().setRealm(realm);
        List<UserModel> recipients = recipients(notice.audience());
        if (recipients.isEmpty()) {
            return;
        }
        Optional<EmailTemplateProvider> renderer;
        try {
            renderer = EmailThemes.renderer(session, notice.mail().template());
        } catch (IOException e) {
            LOG.warnf("jit-columns: could not load the email theme for %s: %s", notice.mail(), e.getMessage());
            return;
        }
        if (renderer.isEmpty()) {
            return;
        }
        Map<String, Object> attributes = MailModel.attributes(notice, link(notice));
        List<Object> subject = MailModel.subjectAttributes(notice);
        for (UserModel user : recipients) {
            send(renderer.get(), user, notice, subject, attributes);
        }
    }

    private void send(EmailTemplateProvider renderer, UserModel user, Notice notice, List<Object> subject,
                      Map<String, Object> attributes) {
        try {
            // A copy per recipient: Keycloak adds the recipient's locale and messages to the map it is given.
            renderer.setRealm(realm).setUser(user).send(notice.mail().subjectKey(), subject, notice.mail().template(),
                    new HashMap<>(attributes));
        } catch (EmailException e) {
            LOG.warnf("jit-columns: could not e-mail %s (%s): %s%s", user.getUsername(), notice.mail(), e.getMessage(),
                    e.getCause() == null ? "" : ": " + e.getCause().getMessage());
        }
    }

    /** Enabled users with an e-mail address, each once, in the order of the audience. */
    private List<UserModel> recipients(Audience audience) {
        Map<String, UserModel> users = new LinkedHashMap<>();
        Approvers approvers = new Approvers(session, realm);
        for (Stage stage : audience.stages()) {
            approvers.members(stage).forEach(users::putIfAbsent);
        }
        for (String id : audience.userIds()) {
            UserModel user = session.users().getUserById(realm, id);
            if (user != null) {
                users.putIfAbsent(id, user);
            }
        }
        audience.excludedUserIds().forEach(users::remove);
        return users.values().stream().filter(UserModel::isEnabled)
                .filter(u -> u.getEmail() != null && !u.getEmail().isBlank()).toList();
    }

    private String link(Notice notice) {
        return frontendBaseUri == null ? null : new ConsoleLinks(frontendBaseUri, realm.getName()).forMail(notice);
    }
}
