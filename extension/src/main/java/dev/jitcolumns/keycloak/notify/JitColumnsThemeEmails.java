package dev.jitcolumns.keycloak.notify;

import org.keycloak.email.freemarker.FreeMarkerEmailTemplateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.theme.Theme;

/**
 * Keycloak's own template rendering and sending, with the jit-columns email theme instead of the realm's: the
 * fallback for a realm whose email theme lacks our templates (it uses {@code keycloak} or a theme of its own).
 * Only the theme differs; locale, messages, subject and SMTP settings are the realm's, as for any Keycloak mail.
 */
final class JitColumnsThemeEmails extends FreeMarkerEmailTemplateProvider {

    private final Theme theme;

    JitColumnsThemeEmails(KeycloakSession session, Theme theme) {
        super(session);
        this.theme = theme;
    }

    @Override
    protected Theme getTheme() {
        return theme;
    }
}
