package dev.jitcolumns.keycloak.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Absolute links into the consoles, from the server's frontend base URI ({@code https://sso.example.com/}, the realm's
 * Frontend URL when it has one), like Keycloak's own mails: the admin console's request page (its hash route
 * {@code /:realm/jit-columns/requests/:id}) and the account console's "Sensitive data access" page.
 */
final class ConsoleLinks {

    private final String base;
    private final String realm;

    ConsoleLinks(URI frontendBaseUri, String realmName) {
        String b = frontendBaseUri.toString();
        this.base = b.endsWith("/") ? b : b + "/";
        this.realm = segment(realmName);
    }

    String adminRequest(String requestId) {
        return adminConsole() + "#/" + realm + "/jit-columns/requests/" + segment(requestId);
    }

    String adminInbox() {
        return adminConsole() + "#/" + realm + "/jit-columns";
    }

    String accountSensitiveData() {
        return base + "realms/" + realm + "/account/sensitive-data";
    }

    /** The link a mail carries: approvers open the request, requesters and holders their access page. */
    String forMail(Notice notice) {
        if (notice.mail().console() == Mail.Console.ACCOUNT) {
            return accountSensitiveData();
        }
        return notice.request() == null ? adminInbox() : adminRequest(notice.request().id());
    }

    private String adminConsole() {
        return base + "admin/" + realm + "/console/";
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
