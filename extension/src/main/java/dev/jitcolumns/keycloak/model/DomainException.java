package dev.jitcolumns.keycloak.model;

/** A refused operation; the REST layers map the kind to 400/403/404/409. Never carries internals. */
public final class DomainException extends RuntimeException {

    public enum Kind { INVALID, FORBIDDEN, NOT_FOUND, CONFLICT }

    private final Kind kind;
    private final String field;

    private DomainException(Kind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.field = field;
    }

    public static DomainException invalid(String field, String message) {
        return new DomainException(Kind.INVALID, field, message);
    }

    public static DomainException forbidden(String message) {
        return new DomainException(Kind.FORBIDDEN, null, message);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, null, message);
    }

    public static DomainException conflict(String message) {
        return new DomainException(Kind.CONFLICT, null, message);
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
