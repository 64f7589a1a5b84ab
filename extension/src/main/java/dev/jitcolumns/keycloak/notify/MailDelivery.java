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
import org.keycloak.urls.HostnameProvider;
import org.keycloak.urls.UrlType;

/**
 * Resolves a {@link Notice}'s audience to users and sends each one the mail, rendered by Keycloak's
 * {@link EmailTemplateProvider} in the recipient's locale. Runs after the commit, in the session of the change.
 */
final class MailDelivery {

    private static final Logger LOG = Logger.getLogger(MailDelivery.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    MailDelivery(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    void deliver(Notice notice) throws IOException {
        List<UserModel> recipients = recipients(notice.audience());
        if (recipients.isEmpty()) {
            return;
        }
        RealmModel previous = session.getContext().getRealm();
        // Keycloak takes the email theme and the Frontend URL from the context's realm.
        session.getContext().setRealm(realm);
        try {
            Optional<EmailTemplateProvider> renderer = EmailThemes.renderer(session, notice.mail().template());
            if (renderer.isEmpty()) {
                return;
            }
            Map<String, Object> attributes = MailModel.attributes(notice, link(notice));
            List<Object> subject = MailModel.subjectAttributes(notice);
            for (UserModel user : recipients) {
                send(renderer.get(), user, notice, subject, attributes);
            }
        } finally {
            if (previous != null) {
                session.getContext().setRealm(previous);
            }
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
        URI base = frontendBaseUri();
        return base == null ? null : new ConsoleLinks(base, realm.getName()).forMail(notice);
    }

    /**
     * The base URI Keycloak puts in its own links. Outside an HTTP request (the scheduler's escalations) the context has
     * no URI; the hostname provider still knows it from the realm's Frontend URL or a {@code hostname} given as a URL.
     * Without either the mail goes out without a link rather than not at all.
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
