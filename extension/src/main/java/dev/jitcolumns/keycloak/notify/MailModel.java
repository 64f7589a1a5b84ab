package dev.jitcolumns.keycloak.notify;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.DecisionRecord;
import dev.jitcolumns.keycloak.resource.Representations;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes the templates see: {@code request}, {@code grant} and {@code decision} in the shapes of the REST API
 * (DESIGN.md "Representations"), so a theme author reads one documented contract; plus the times a reader wants
 * formatted ({@code expiresAt}, {@code requestedAt}) and the console {@code link}. Maps, not our records: FreeMarker
 * reads getters, not record accessors. Keycloak adds {@code msg}, {@code locale}, {@code realmName}, {@code user}.
 */
final class MailModel {

    /** Mails are read in any time zone: an explicit UTC time, not a server-local one. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private MailModel() {
    }

    static Map<String, Object> attributes(Notice notice, String link) {
        Map<String, Object> a = new HashMap<>();
        if (notice.request() != null) {
            a.put("request", Representations.request(notice.request()));
            a.put("requestedAt", time(notice.request().createdAt()));
        }
        if (notice.grant() != null) {
            a.put("grant", Representations.grant(notice.grant()));
            a.put("expiresAt", time(notice.grant().expiresAt()));
        }
        DecisionRecord decision = notice.lastDecision();
        if (decision != null) {
            a.put("decision", Representations.decision(decision));
        }
        if (link != null) {
            a.put("link", link);
        }
        return a;
    }

    /** {0} = the requester (or grant holder), {1} = the datasource, in every subject. */
    static List<Object> subjectAttributes(Notice notice) {
        AccessRequest r = notice.request();
        return r != null ? List.of(r.requesterUsername(), r.datasource())
                : List.of(notice.grant().username(), notice.grant().datasource());
    }

    private static String time(Instant at) {
        return TIME.format(at);
    }
}
