package dev.jitcolumns.keycloak.model;

/** A realm's webhook as a manager set it: the URL, and the secret as given (a value or a vault reference). */
public record WebhookSettings(String url, String secret) {

    @Override
    public String toString() {
        return "WebhookSettings[secret hidden]";
    }
}
