package dev.jitcolumns.keycloak.resource;

import java.util.Locale;

/**
 * Query parameters, taken as text. Bound to {@code int} or {@code boolean}, JAX-RS answers 404 for a value it
 * cannot convert and reads any boolean but "true" as false; here a bad value is a 400 naming the parameter.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** A whole number, or null when absent. */
    public static Integer integer(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name, name + " must be a whole number.");
        }
    }

    /** A sequence number (0 or more), or null when absent. */
    public static Long sequence(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seq = Long.parseLong(value.strip());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest(name, name + " must be a sequence number, 0 or more.");
    }

    /** The {@code first} of a page: 0 unless given, never negative. */
    public static int first(String value) {
        Integer first = integer("first", value);
        return first == null ? 0 : Math.max(0, first);
    }

    /** The {@code max} of a page: {@code byDefault} unless given, between 1 and {@code cap}. */
    public static int max(String value, int byDefault, int cap) {
        Integer max = integer("max", value);
        return max == null ? byDefault : Math.min(Math.max(1, max), cap);
    }

    /** {@code true} or {@code false} (any case); false when absent. */
    public static boolean flag(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiError.badRequest(name, name + " must be true or false.");
        };
    }
}
