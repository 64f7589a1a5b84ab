package dev.jitcolumns.keycloak.token;

import dev.jitcolumns.keycloak.model.Grant;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.keycloak.representations.JsonWebToken;

/**
 * What a set of active grants puts into a token: the granted columns by datasource (the datasource is
 * also an audience), the grant ids, and an {@code exp} that never outlives the earliest grant nor the configured
 * maximum lifetime.
 */
public record GrantClaims(Map<String, List<String>> columnsByDatasource, List<String> grantIds, Instant earliestExpiry) {

    public static final String COLUMNS_CLAIM = "jit_columns";
    public static final String GRANTS_CLAIM = "jit_grants";

    public static GrantClaims of(Collection<Grant> grants) {
        Map<String, TreeSet<String>> columns = new TreeMap<>();
        TreeSet<String> ids = new TreeSet<>();
        Instant earliest = null;
        for (Grant grant : grants) {
            columns.computeIfAbsent(grant.datasource(), d -> new TreeSet<>()).addAll(grant.columns());
            ids.add(grant.id());
            if (earliest == null || grant.expiresAt().isBefore(earliest)) {
                earliest = grant.expiresAt();
            }
        }
        Map<String, List<String>> sorted = new TreeMap<>();
        columns.forEach((datasource, cols) -> sorted.put(datasource, List.copyOf(cols)));
        return new GrantClaims(Map.copyOf(sorted), List.copyOf(ids), earliest);
    }

    public boolean isEmpty() {
        return grantIds.isEmpty();
    }

    /**
     * Adds the claims and audiences, and lowers {@code exp} to {@code iat + maxLifetimeSeconds} and to the earliest
     * grant expiry (never raises it). No grant, no claim, and the token is left as it is.
     */
    public void applyTo(JsonWebToken token, String columnsClaim, String grantsClaim, long maxLifetimeSeconds) {
        if (isEmpty()) {
            return;
        }
        token.getOtherClaims().put(columnsClaim, new TreeMap<>(columnsByDatasource));
        token.getOtherClaims().put(grantsClaim, grantIds);
        columnsByDatasource.keySet().forEach(token::addAudience);
        long issuedAt = token.getIat() != null ? token.getIat() : Instant.now().getEpochSecond();
        long end = Math.min(issuedAt + maxLifetimeSeconds, earliestExpiry.getEpochSecond());
        if (token.getExp() == null || token.getExp() > end) {
            token.exp(end);
        }
    }
}
