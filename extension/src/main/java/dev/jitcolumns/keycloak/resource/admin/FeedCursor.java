package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.JitColumnsStore.FeedPosition;
import dev.jitcolumns.keycloak.resource.ApiError;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code after} parameter of the revocation feed, {@code <revokedAt in epoch milliseconds>.<grantId>}: opaque to
 * clients, which follow the {@code next} link instead of building it.
 */
final class FeedCursor {

    private static final Pattern SHAPE = Pattern.compile("(\\d{1,18})\\.([A-Za-z0-9-]{1,36})");

    private FeedCursor() {
    }

    /** Null for no cursor; a 400 naming {@code after} for anything that is not one of ours. */
    static FeedPosition parse(String after) {
        if (after == null || after.isEmpty()) {
            return null;
        }
        Matcher m = SHAPE.matcher(after);
        if (!m.matches()) {
            throw ApiError.badRequest("after", "after must be the cursor of a next link, as the feed gave it.");
        }
        return new FeedPosition(Instant.ofEpochMilli(Long.parseLong(m.group(1))), m.group(2));
    }

    static String format(FeedPosition position) {
        return position.revokedAt().toEpochMilli() + "." + position.grantId();
    }
}
