package dev.jitcolumns.keycloak.notify;

import java.io.IOException;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.theme.Theme;

/**
 * Picks the email theme a notification is rendered with: the realm's when it has the template (the jit-columns theme,
 * or a theme extending it), otherwise the jit-columns theme itself, otherwise none (the theme jar is not installed).
 */
final class EmailThemes {

    static final String JIT_COLUMNS_THEME = "jit-columns";
    private static final Logger LOG = Logger.getLogger(EmailThemes.class);

    private EmailThemes() {
    }

    /** Needs the realm in the session's context: Keycloak reads the realm's email theme from there. */
    static Optional<EmailTemplateProvider> renderer(KeycloakSession session, String template) throws IOException {
        Theme realmTheme = session.theme().getTheme(Theme.Type.EMAIL);
        if (hasTemplate(realmTheme, template)) {
            return Optional.of(session.getProvider(EmailTemplateProvider.class));
        }
        Theme ours = session.theme().getTheme(JIT_COLUMNS_THEME, Theme.Type.EMAIL);
        if (hasTemplate(ours, template)) {
            LOG.debugf("jit-columns: email theme %s has no %s, rendering with the %s theme", realmTheme.getName(),
                    template, JIT_COLUMNS_THEME);
            return Optional.of(new JitColumnsThemeEmails(session, ours));
        }
        LOG.warnf("jit-columns: no email theme has the template %s (realm theme %s): install the jit-columns theme jar"
                + " in providers/; the mail is not sent", template, realmTheme.getName());
        return Optional.empty();
    }

    /** Both parts are needed: Keycloak renders the text and the html template of every mail. */
    private static boolean hasTemplate(Theme theme, String template) throws IOException {
        return theme.getTemplate("text/" + template) != null && theme.getTemplate("html/" + template) != null;
    }
}
