package dev.jitcolumns.keycloak.model;

/**
 * Told about every change after it is made (inside the transaction); the REST layers turn it into Keycloak
 * admin events or user events, so existing event listeners and SIEM forwarders see it.
 */
@FunctionalInterface
public interface ChangeListener {

    enum Kind { CREATE, UPDATE, DELETE, ACTION }

    void changed(Kind kind, String action, String resourcePath, Object representation);
}
