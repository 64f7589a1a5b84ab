package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.Approvers;
import dev.jitcolumns.keycloak.model.Datasource;
import dev.jitcolumns.keycloak.model.Policy;
import dev.jitcolumns.keycloak.model.SensitiveColumn;
import dev.jitcolumns.keycloak.model.Stage;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.JsonBody;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/** Catalog bodies, validated field by field (400 naming the field) before anything is written. */
final class CatalogInput {

    static final Set<String> DATASOURCE_FIELDS = Set.of("id", "name", "description");
    static final Set<String> COLUMN_FIELDS = Set.of("id", "datasource", "schema", "table", "column", "label", "description", "policy", "fqn");
    /** With the flags a policy is read with: a policy read and written back keeps a removed group removed. */
    static final Set<String> POLICY_FIELDS = Set.of("id", "name", "stages", "maxDurationMinutes", "defaultDurationMinutes",
            "pendingTimeoutMinutes", "escalateAfterMinutes", "escalationGroup", "escalationGroupRemoved", "reasonMinLength",
            "ticketPattern", "breakGlassMaxMinutes");
    static final Set<String> STAGE_FIELDS = Set.of("name", "approverGroup", "approverRole", "approverRemoved", "minApprovals");

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_ -]{1,63}");

    private CatalogInput() {
    }

    static String id(JsonBody in, String pathId) {
        String id = in.string("id", pathId == null, 63);
        if (pathId != null) {
            if (id != null && !id.equals(pathId)) {
                throw ApiError.badRequest("id", "id does not match the path.");
            }
            return pathId;
        }
        if (!ID.matcher(id).matches()) {
            throw ApiError.badRequest("id", "id must be lower-case letters, digits, '-' or '_' (at most 63).");
        }
        return id;
    }

    static Datasource datasource(JsonBody in, String pathId) {
        return new Datasource(id(in, pathId), in.string("name", true, 255), in.string("description", false, 1024));
    }

    static SensitiveColumn column(JsonBody in, String pathId) {
        String id = in.string("id", false, 36);
        if (pathId != null && id != null && !id.equals(pathId)) {
            throw ApiError.badRequest("id", "id does not match the path.");
        }
        return new SensitiveColumn(pathId, in.string("datasource", true, 63), identifier(in, "schema"),
                identifier(in, "table"), identifier(in, "column"), label(in), in.string("description", false, 1024),
                in.string("policy", true, 63));
    }

    private static String identifier(JsonBody in, String field) {
        String v = in.string(field, true, 63);
        if (!IDENTIFIER.matcher(v).matches()) {
            throw ApiError.badRequest(field, field + " must be a plain SQL identifier.");
        }
        return v;
    }

    private static String label(JsonBody in) {
        String v = in.string("label", true, 63);
        if (!LABEL.matcher(v).matches()) {
            throw ApiError.badRequest("label", "label must be PII, PCI, PHI, SECRET or a short custom label.");
        }
        return v;
    }

    static Policy policy(JsonBody in, String pathId, KeycloakSession session, RealmModel realm) {
        String id = id(in, pathId);
        String name = in.string("name", true, 255);
        List<JsonBody> stageBodies = in.objects("stages", STAGE_FIELDS);
        if (stageBodies.isEmpty()) {
            throw ApiError.badRequest("stages", "stages must have at least one stage.");
        }
        List<Stage> stages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonBody s : stageBodies) {
            String stageName = s.string("name", true, 255);
            if (!names.add(stageName)) {
                throw ApiError.badRequest("stages", "Stage name '" + stageName + "' is used twice.");
            }
            String group = s.string("approverGroup", false, 255);
            String role = s.string("approverRole", false, 255);
            if ((group == null) == (role == null)) {
                throw ApiError.badRequest("stages", "Each stage names either approverGroup or approverRole.");
            }
            Integer min = s.integer("minApprovals", false);
            if (min != null && min < 1) {
                throw ApiError.badRequest("stages", "minApprovals must be at least 1.");
            }
            int minApprovals = min == null ? 1 : min;
            boolean removed = s.bool("approverRemoved");
            stages.add(role != null ? roleStage(realm, stageName, role, removed, minApprovals)
                    : groupStage(session, realm, "stages", stageName, group, removed, minApprovals));
        }
        int max = positive(in, "maxDurationMinutes", true, 60);
        Integer def = in.integer("defaultDurationMinutes", false);
        if (def != null && (def < 1 || def > max)) {
            throw ApiError.badRequest("defaultDurationMinutes", "defaultDurationMinutes must be between 1 and maxDurationMinutes.");
        }
        int timeout = nonNegative(in, "pendingTimeoutMinutes");
        int escalate = nonNegative(in, "escalateAfterMinutes");
        String escalationPath = in.string("escalationGroup", false, 255);
        Stage escalation = escalationPath == null ? null : groupStage(session, realm, "escalationGroup", "escalation",
                escalationPath, in.bool("escalationGroupRemoved"), 1);
        if (escalate > 0 && escalation == null) {
            throw ApiError.badRequest("escalationGroup", "escalationGroup is required with escalateAfterMinutes.");
        }
        int reason = nonNegative(in, "reasonMinLength");
        String ticket = in.string("ticketPattern", false, 512);
        if (ticket != null) {
            try {
                Pattern.compile(ticket);
            } catch (PatternSyntaxException e) {
                throw ApiError.badRequest("ticketPattern", "ticketPattern is not a valid regular expression.");
            }
        }
        int breakGlass = nonNegative(in, "breakGlassMaxMinutes");
        if (breakGlass > max) {
            throw ApiError.badRequest("breakGlassMaxMinutes", "breakGlassMaxMinutes must not exceed maxDurationMinutes.");
        }
        return new Policy(id, name, stages, max, def == null ? Math.min(60, max) : def, timeout, escalate,
                escalation == null ? null : escalation.approverGroup(), escalation == null ? null : escalation.approverId(),
                reason, ticket == null || ticket.isBlank() ? null : ticket, breakGlass);
    }

    private static int positive(JsonBody in, String field, boolean required, int dflt) {
        Integer v = in.integer(field, required);
        if (v == null) {
            return dflt;
        }
        if (v < 1) {
            throw ApiError.badRequest(field, field + " must be greater than 0.");
        }
        return v;
    }

    private static int nonNegative(JsonBody in, String field) {
        Integer v = in.integer(field, false);
        if (v == null) {
            return 0;
        }
        if (v < 0) {
            throw ApiError.badRequest(field, field + " must not be negative.");
        }
        return v;
    }

    /**
     * A stage of the group at {@code path}, written as Keycloak finds it ({@code /parent/child}, {@code parent/child/});
     * one written back as it was read, with its group {@code removed}, stays removed (a new group of the name is named
     * by a change of the field, never by a save of something else).
     */
    private static Stage groupStage(KeycloakSession session, RealmModel realm, String field, String name, String path,
                                    boolean removed, int minApprovals) {
        if (removed) {
            return new Stage(name, path, null, "", minApprovals);
        }
        GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
        if (group == null) {
            throw ApiError.badRequest(field, "No group " + path + " in this realm.");
        }
        return Stage.ofGroup(name, group, minApprovals);
    }

    /** A stage of the realm role {@code role}; one written back as it was read, with its role {@code removed}, stays removed. */
    private static Stage roleStage(RealmModel realm, String name, String role, boolean removed, int minApprovals) {
        if (removed) {
            return new Stage(name, null, role, "", minApprovals);
        }
        RoleModel model = realm.getRole(role);
        if (model == null) {
            throw ApiError.badRequest("stages", "No realm role " + role + " in this realm.");
        }
        if (Approvers.everyoneHolds(realm, model)) {
            throw ApiError.badRequest("stages", "The realm role " + role + " is one every user holds (a default role): it approves nothing.");
        }
        return Stage.ofRole(name, model, minApprovals);
    }
}
