package dev.jitcolumns.keycloak.model;

import java.time.Instant;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.cache.CachedUserModel;
import org.keycloak.models.cache.UserCache;
import org.keycloak.storage.adapter.InMemoryUserAdapter;

/**
 * A user's grants, kept beside Keycloak's cached user so that issuing or refreshing a token reads no table.
 *
 * <p>Every change that makes a grant start, last longer or end early evicts the user from Keycloak's user cache
 * (on every node, after the change commits), and the grants go with it. An end that the clock brings needs no
 * eviction: the grants are filtered by time on every read.
 */
public final class CachedGrants {

    private static final String KEY = "jit-columns.grants";

    private CachedGrants() {
    }

    /** The user's active grants now, from the cached user when Keycloak caches it, else from the store. */
    public static List<Grant> active(KeycloakSession session, RealmModel realm, UserModel user) {
        if (!(user instanceof CachedUserModel cached)) {
            return load(session, realm, user);
        }
        // Not computeIfAbsent: the load is a query, too long to hold the map's lock for.
        @SuppressWarnings("unchecked")
        List<Grant> grants = (List<Grant>) cached.getCachedWith().get(KEY);
        if (grants == null) {
            grants = load(session, realm, user);
            cached.getCachedWith().putIfAbsent(KEY, grants);
        }
        Instant now = Instant.now();
        return grants.stream().filter(g -> g.isActive(now)).toList();
    }

    /** Drops the cached grants of a user whose grants changed in this transaction, once it commits. */
    static void evict(KeycloakSession session, RealmModel realm, String userId, String username) {
        UserCache cache = session.getProvider(UserCache.class);
        if (cache != null) {
            // Names the user without loading it: eviction needs only the id and the username.
            UserModel user = new InMemoryUserAdapter(session, realm, userId);
            user.setUsername(username);
            cache.evict(realm, user);
        }
    }

    private static List<Grant> load(KeycloakSession session, RealmModel realm, UserModel user) {
        return session.getProvider(JitColumnsStore.class).activeGrants(realm, user.getId());
    }
}
