package dev.jitcolumns.keycloak.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.keycloak.model.ChangeListener.Kind;
import dev.jitcolumns.keycloak.notify.Notice;
import dev.jitcolumns.keycloak.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.StorageId;

/**
 * The use cases of requests and grants: validates, asks {@link RequestStateMachine}, writes through the
 * {@link JitColumnsStore}, appends the audit entries (unsealed, no lock: they are chained after commit), tells the
 * {@link ChangeListener}, says which {@link Notice} is mailed after commit, and evicts the {@link CachedGrants} of a
 * user whose grants changed. One instance per Keycloak request.
 */
public final class AccessService {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A new request as the user sent it; {@code durationMinutes} null = the policy's default. */
    public record NewRequest(String datasource, List<String> columns, String reason, String ticket,
                             Integer durationMinutes, boolean breakGlass) {}

    private final KeycloakSession session;
    private final RealmModel realm;
    private final JitColumnsStore store;
    private final Approvers approvers;
    private final ChangeListener events;
    private final Notifier notifier;
    private final Clock clock;
    private final List<AuditEntry> pendingAudit = new ArrayList<>();

    private static final int USER_PAGE = 500;

    public AccessService(KeycloakSession session, RealmModel realm, ChangeListener events) {
        this(session, realm, events, Clock.systemUTC());
    }

    AccessService(KeycloakSession session, RealmModel realm, ChangeListener events, Clock clock) {
        this.session = session;
        this.realm = realm;
        this.store = session.getProvider(JitColumnsStore.class);
        this.approvers = new Approvers(session, realm);
        this.events = events;
        this.notifier = new Notifier(session, realm);
        this.clock = clock;
    }

    public JitColumnsStore store() {
        return store;
    }

    public Approvers approvers() {
        return approvers;
    }

    /** Milliseconds, as stored: what a change answers is then exactly what a later read gives. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ------------------------------------------------------------------ requester

    /** Columns of one request: a request and its grant keep them in one text of at most 16,384 characters. */
    static final int MAX_COLUMNS = 50;

    public AccessRequest create(UserModel requester, NewRequest in) {
        Instant now = now();
        Datasource ds = store.datasource(realm, in.datasource())
                .orElseThrow(() -> DomainException.invalid("datasource", "Unknown datasource '" + in.datasource() + "'."));
        if (in.columns() == null || in.columns().isEmpty()) {
            throw DomainException.invalid("columns", "columns must name at least one column.");
        }
        if (in.columns().size() > MAX_COLUMNS) {
            throw DomainException.invalid("columns", "columns may name at most " + MAX_COLUMNS + " columns: ask in several requests.");
        }
        Set<String> seen = new HashSet<>();
        for (String c : in.columns()) {
            if (!seen.add(c)) {
                throw DomainException.invalid("columns", "Column '" + c + "' is listed twice.");
            }
        }
        Map<String, SensitiveColumn> catalog = new HashMap<>();
        store.columnsOf(realm, ds.id()).forEach(c -> catalog.put(c.fqn(), c));
        Map<String, Policy> policies = new LinkedHashMap<>();
        for (String c : in.columns()) {
            SensitiveColumn column = catalog.get(c);
            if (column == null) {
                throw DomainException.invalid("columns", "'" + c + "' is not a requestable column of " + ds.id() + ".");
            }
            if (!policies.containsKey(column.policy())) {
                policies.put(column.policy(), store.policy(realm, column.policy())
                        .orElseThrow(() -> DomainException.conflict("The catalog names a policy that does not exist.")));
            }
        }
        RequestStateMachine.Effective rules = RequestStateMachine.merge(policies.values());
        int duration = in.durationMinutes() == null ? rules.defaultDurationMinutes() : in.durationMinutes();
        String ticket = blankToNull(in.ticket()); // checked as it is kept: a blank ticket is none
        RequestStateMachine.validateNew(rules, duration, in.reason(), ticket, in.breakGlass());
        if (!in.breakGlass() && rules.stages().isEmpty()) {
            throw DomainException.conflict("The policy of these columns has no approval stage.");
        }
        if (in.breakGlass()) {
            refuseBreakGlass(requester, ds.id(), in.columns());
        }
        RequestStatus status = RequestStateMachine.initialStatus(in.breakGlass());
        AccessRequest created = store.createRequest(realm, new AccessRequest(null, status, ds.id(), in.columns(),
                in.reason().strip(), ticket, duration, in.breakGlass(), requester.getId(),
                requester.getUsername(), 0, rules.stages(), List.of(), now, in.breakGlass() ? now : null, null, null,
                in.breakGlass() || rules.pendingTimeoutMinutes() <= 0 ? null : now.plus(Duration.ofMinutes(rules.pendingTimeoutMinutes())),
                in.breakGlass() || rules.escalateAfterMinutes() <= 0 ? null : now.plus(Duration.ofMinutes(rules.escalateAfterMinutes())),
                false));
        audit(requester, in.breakGlass() ? "BREAK_GLASS_ACTIVATED" : "REQUEST_CREATED", created.id(), null, Map.of(
                "datasource", ds.id(), "columns", in.columns(), "durationMinutes", duration,
                "reason", created.reason(), "ticket", String.valueOf(created.ticket())));
        if (in.breakGlass()) {
            Grant grant = store.createGrant(realm, new Grant(null, created.id(), requester.getId(), requester.getUsername(),
                    ds.id(), in.columns(), now, RequestStateMachine.expiresAt(now, duration), null, null, null, true, true));
            store.linkGrant(realm, created.id(), grant.id());
            audit(requester, "GRANT_CREATED", created.id(), grant.id(), Map.of("expiresAt", grant.expiresAt().toString(),
                    "breakGlass", true));
            CachedGrants.evict(session, realm, requester.getId(), requester.getUsername());
        }
        // A plain request has no decision and no grant yet: what createRequest returned is what a re-read would give.
        AccessRequest result = in.breakGlass() ? store.request(realm, created.id()).orElseThrow() : created;
        events.changed(Kind.CREATE, in.breakGlass() ? "BREAK_GLASS_ACTIVATED" : "REQUEST_CREATED", "requests/" + created.id(), result);
        notifier.afterCommit(Notice.requestCreated(result));
        flushAudit();
        return result;
    }

    /**
     * Break glass is not renewed by activating it again: while one activation lasts, its columns wait for it to end. Nor
     * does it undo a revocation: a column revoked from the user waits for an approver to grant it again afterwards.
     */
    private void refuseBreakGlass(UserModel requester, String datasource, List<String> columns) {
        store.lockBreakGlass(realm, requester.getId()); // then the grants read below include one a concurrent activation committed
        // active as of the read, not as of `now`: a concurrent activation's grant may start after this call's `now`
        store.activeGrants(realm, requester.getId()).stream()
                .filter(g -> g.breakGlass() && g.datasource().equals(datasource))
                .filter(g -> g.columns().stream().anyMatch(columns::contains))
                .findFirst().ifPresent(g -> {
                    throw DomainException.conflict("Break glass is already active on " + g.columns().stream().filter(columns::contains).toList()
                            + " until " + g.expiresAt() + "; it can be activated again when that ends.");
                });
        List<Grant> decided = store.approvedOrRevokedGrants(realm, requester.getId(), datasource);
        for (String column : columns) {
            decided.stream().filter(g -> g.revokedAt() != null && g.columns().contains(column))
                    .max(Comparator.comparing(Grant::revokedAt))
                    .filter(revoked -> decided.stream().noneMatch(g -> !g.breakGlass() && g.columns().contains(column)
                            && g.startsAt().isAfter(revoked.revokedAt())))
                    .ifPresent(revoked -> {
                        throw DomainException.forbidden("Access to " + column + " was revoked at " + revoked.revokedAt() + " by "
                                + revoked.revokedBy() + ": break glass stays closed on it until an approver grants it again. "
                                + "Ask for it with a request.");
                    });
        }
    }

    public AccessRequest cancel(UserModel user, String id) {
        AccessRequest r = ownRequest(user, id, true);
        RequestStatus next = RequestStateMachine.cancel(r, user.getId());
        AccessRequest updated = store.setStatus(realm, id, next, now());
        audit(user, "REQUEST_CANCELLED", id, null, Map.of());
        events.changed(Kind.ACTION, "REQUEST_CANCELLED", "requests/" + id, updated);
        flushAudit();
        return updated;
    }

    /** Asks to extend the grant of an approved request; the ticket is the original one unless a new one is given. */
    public AccessRequest extend(UserModel user, String id, Integer durationMinutes, String reason, String newTicket) {
        Instant now = now();
        AccessRequest original = ownRequest(user, id, true);
        Grant grant = original.grant();
        RequestStateMachine.checkExtendable(original, grant, user.getId(), now);
        List<Policy> policies = new ArrayList<>();
        Map<String, SensitiveColumn> catalog = new HashMap<>();
        store.columnsOf(realm, original.datasource()).forEach(c -> catalog.put(c.fqn(), c));
        for (String c : original.columns()) {
            SensitiveColumn column = catalog.get(c);
            if (column == null) {
                throw DomainException.conflict("Column '" + c + "' is no longer in the catalog.");
            }
            store.policy(realm, column.policy()).filter(p -> !policies.contains(p)).ifPresent(policies::add);
        }
        RequestStateMachine.Effective rules = RequestStateMachine.merge(policies);
        int duration = durationMinutes == null ? rules.defaultDurationMinutes() : durationMinutes;
        String ticket = newTicket == null || newTicket.isBlank() ? original.ticket() : newTicket.strip();
        RequestStateMachine.validateNew(rules, duration, reason, ticket, false);
        AccessRequest created = store.createRequest(realm, new AccessRequest(null, RequestStatus.PENDING,
                original.datasource(), original.columns(), reason.strip(), ticket, duration, false,
                user.getId(), user.getUsername(), 0, rules.stages(), List.of(), now, null, grant.id(), null,
                rules.pendingTimeoutMinutes() <= 0 ? null : now.plus(Duration.ofMinutes(rules.pendingTimeoutMinutes())),
                rules.escalateAfterMinutes() <= 0 ? null : now.plus(Duration.ofMinutes(rules.escalateAfterMinutes())),
                false));
        audit(user, "EXTENSION_REQUESTED", created.id(), grant.id(), Map.of("extends", id, "durationMinutes", duration,
                "reason", created.reason(), "ticket", String.valueOf(created.ticket())));
        events.changed(Kind.CREATE, "EXTENSION_REQUESTED", "requests/" + created.id(), created);
        notifier.afterCommit(Notice.requestCreated(created));
        flushAudit();
        return created;
    }

    private AccessRequest ownRequest(UserModel user, String id, boolean lock) {
        return (lock ? store.lockRequest(realm, id) : store.request(realm, id))
                .filter(r -> r.requesterId().equals(user.getId()))
                .orElseThrow(() -> DomainException.notFound("No such request."));
    }

    // ------------------------------------------------------------------ approver

    /** Approves or denies the current stage; the request row is locked, so concurrent decisions serialise. */
    public AccessRequest decide(UserModel approver, String id, Decision decision, String comment) {
        Instant now = now();
        AccessRequest r = store.lockRequest(realm, id).orElseThrow(() -> DomainException.notFound("No such request."));
        if (decision == Decision.APPROVED) {
            requireColumnsInCatalog(r);
        }
        Stage stage = r.pendingStage();
        boolean eligible = stage != null && approvers.isEligible(approver, stage);
        RequestStateMachine.Step step = RequestStateMachine.decide(r, approver.getId(), approver.getUsername(),
                eligible, decision, comment, now);
        Grant grant = step.grantNow() ? issueGrant(r, now) : null;
        store.addDecision(realm, r, step.decision(), step.status(), step.currentStage(), now, grant == null ? null : grant.id());
        String action = decision == Decision.APPROVED ? "REQUEST_APPROVED" : "REQUEST_DENIED";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("stage", step.decision().stage());
        details.put("comment", String.valueOf(step.decision().comment()));
        details.put("status", step.status().name());
        audit(approver, action, id, null, details);
        if (grant != null) {
            CachedGrants.evict(session, realm, r.requesterId(), r.requesterUsername());
            audit(approver, r.extendsGrantId() != null && grant.id().equals(r.extendsGrantId()) ? "GRANT_EXTENDED" : "GRANT_CREATED",
                    id, grant.id(), Map.of("expiresAt", grant.expiresAt().toString()));
        }
        // What a re-read would give, without reading: the row is locked and every change to it was made here.
        AccessRequest result = r.decided(step, now, grant);
        events.changed(Kind.ACTION, action, "requests/" + id, result);
        notifier.afterCommit(Notice.decided(r, result));
        flushAudit();
        return result;
    }

    /** A column taken out of the catalog while the request waited is no longer granted (it can still be denied). */
    private void requireColumnsInCatalog(AccessRequest r) {
        Set<String> catalog = new HashSet<>();
        store.columnsOf(realm, r.datasource()).forEach(c -> catalog.add(c.fqn()));
        r.columns().stream().filter(c -> !catalog.contains(c)).findFirst().ifPresent(c -> {
            throw DomainException.conflict("Column '" + c + "' is no longer in the catalog: the request can be denied, not approved.");
        });
    }

    private Grant issueGrant(AccessRequest r, Instant now) {
        if (r.extendsGrantId() != null) {
            Grant old = store.lockGrant(realm, r.extendsGrantId()).orElse(null);
            if (old != null && old.revokedAt() != null) {
                // asked for before the revocation committed (a revocation cancels the extensions it finds)
                throw DomainException.conflict("The grant this request extends was revoked; it cannot be extended.");
            }
            if (old != null && old.isActive(now)) {
                return store.extendGrant(realm, old.id(), RequestStateMachine.extendedExpiry(old, r.durationMinutes(), now));
            }
        }
        return store.createGrant(realm, new Grant(null, r.id(), r.requesterId(), r.requesterUsername(), r.datasource(),
                r.columns(), now, RequestStateMachine.expiresAt(now, r.durationMinutes()), null, null, null, false, false));
    }

    /**
     * Ends a grant at once: the requests that share it become REVOKED, and pending requests to extend it are
     * cancelled, so that no later approval brings it back.
     */
    public Grant revoke(UserModel actor, String grantId, String reason) {
        return revoke(actor, actor.getUsername(), grantId, reason);
    }

    /** {@code actor} null: the system (the audit's actor), named {@code actorName} on the grant. */
    private Grant revoke(UserModel actor, String actorName, String grantId, String reason) {
        Instant now = now();
        // Pending extensions are locked before the grant, in the order a decision locks them (request, then grant).
        List<AccessRequest> extensions = store.pendingExtensionsOf(realm, grantId).stream()
                .flatMap(id -> store.lockRequest(realm, id).stream()).filter(r -> r.status() == RequestStatus.PENDING).toList();
        Grant g = store.lockGrant(realm, grantId).orElseThrow(() -> DomainException.notFound("No such grant."));
        RequestStatus next = RequestStateMachine.revoke(g, reason, now);
        Grant revoked = store.revokeGrant(realm, grantId, actorName, reason.strip(), now);
        CachedGrants.evict(session, realm, g.userId(), g.username());
        for (String requestId : store.requestIdsOfGrant(realm, grantId)) {
            store.lockRequest(realm, requestId).filter(r -> r.status() == RequestStatus.APPROVED)
                    .ifPresent(r -> store.setStatus(realm, requestId, next, null));
        }
        audit(actor, "GRANT_REVOKED", g.requestId(), grantId, Map.of("reason", reason.strip()));
        events.changed(Kind.ACTION, "GRANT_REVOKED", "grants/" + grantId, revoked);
        for (AccessRequest extension : extensions) {
            AccessRequest cancelled = store.setStatus(realm, extension.id(), RequestStatus.CANCELLED, now);
            audit(actor, "REQUEST_CANCELLED", extension.id(), grantId, Map.of("reason", "the grant it extends was revoked"));
            events.changed(Kind.ACTION, "REQUEST_CANCELLED", "requests/" + extension.id(), cancelled);
        }
        notifier.afterCommit(Notice.revoked(revoked, actor == null ? revoked.userId() : actor.getId()));
        flushAudit();
        return revoked;
    }

    /** {@link #endAccessOf} a user who is disabled (still, once this transaction looks again). */
    public void endAccessOfDisabledUser(String userId) {
        if (isDisabled(userId)) {
            endAccessOf(userId, "the user was disabled");
        }
    }

    /**
     * Keycloak's own user table answers for the users it holds. A user that only user storage holds (LDAP without
     * import, a custom store) is asked of its provider, and counts as disabled only when the provider finds it so: a
     * disabled or removed provider finds nobody, which says nothing of its users.
     */
    private boolean isDisabled(String userId) {
        if (StorageId.isLocalStorage(userId)) {
            return store.isDisabled(realm, userId);
        }
        UserModel user = session.users().getUserById(realm, userId);
        return user != null && !user.isEnabled();
    }

    /**
     * A user removed from the realm, or disabled: their active grants are revoked (so the databases hear of it through
     * the revocation feed, rather than honour a token until it expires) and their pending requests cancelled, by the
     * system, for {@code why}.
     */
    public void endAccessOf(String userId, String why) {
        for (String grantId : store.activeGrantIds(realm, userId)) {
            revoke(null, "system", grantId, why);
        }
        for (int first = 0; ; first += USER_PAGE) {
            List<AccessRequest> page = store.requestsOf(realm, userId, first, USER_PAGE);
            for (AccessRequest r : page) {
                store.lockRequest(realm, r.id()).filter(locked -> locked.status() == RequestStatus.PENDING).ifPresent(locked -> {
                    AccessRequest cancelled = store.setStatus(realm, r.id(), RequestStatus.CANCELLED, now());
                    audit(null, "REQUEST_CANCELLED", r.id(), null, Map.of("reason", why));
                    events.changed(Kind.ACTION, "REQUEST_CANCELLED", "requests/" + r.id(), cancelled);
                });
            }
            if (page.size() < USER_PAGE) {
                break;
            }
        }
        flushAudit();
    }

    // ------------------------------------------------------------------ scheduler

    /** APPROVED -> EXPIRED for the requests of a grant whose end has passed. */
    public void expire(String grantId) {
        Instant now = now();
        Grant g = store.lockGrant(realm, grantId).orElse(null);
        // closed already: another node's run (a run can outlast the cluster's task lock) did it
        if (g == null || g.revokedAt() != null || now.isBefore(g.expiresAt()) || !store.closeGrant(realm, grantId)) {
            return;
        }
        for (String requestId : store.requestIdsOfGrant(realm, grantId)) {
            store.lockRequest(realm, requestId).filter(r -> r.status() == RequestStatus.APPROVED)
                    .ifPresent(r -> store.setStatus(realm, requestId, RequestStateMachine.expire(r, g, now), null));
        }
        audit(null, "GRANT_EXPIRED", g.requestId(), grantId, Map.of("expiresAt", g.expiresAt().toString()));
        events.changed(Kind.ACTION, "GRANT_EXPIRED", "grants/" + grantId, g);
        flushAudit();
    }

    public void timeOut(String requestId) {
        Instant now = now();
        AccessRequest r = store.lockRequest(realm, requestId).orElse(null);
        if (r == null || r.status() != RequestStatus.PENDING || r.timeoutAt() == null || now.isBefore(r.timeoutAt())) {
            return;
        }
        AccessRequest updated = store.setStatus(realm, requestId, RequestStateMachine.timeOut(r, now), now);
        audit(null, "REQUEST_TIMED_OUT", requestId, null, Map.of());
        events.changed(Kind.ACTION, "REQUEST_TIMED_OUT", "requests/" + requestId, updated);
        flushAudit();
    }

    /**
     * PENDING -> CANCELLED for a request whose stage being decided names a group or role removed from the realm since:
     * nobody may decide it any more, and its requester had better ask again (a new request follows the policy's
     * approvers of today) than wait for its timeout.
     */
    public void cancelUndecidable(String requestId) {
        AccessRequest r = store.lockRequest(realm, requestId).orElse(null);
        Stage stage = r == null || r.status() != RequestStatus.PENDING ? null : r.pendingStage();
        if (stage == null || approvers.exist(stage)) {
            return;
        }
        AccessRequest cancelled = store.setStatus(realm, requestId, RequestStatus.CANCELLED, now());
        audit(null, "REQUEST_CANCELLED", requestId, null, Map.of("reason",
                "nobody may decide the stage '" + stage.name() + "': its approver " + (stage.byGroup() ? "group" : "role")
                        + " was removed"));
        events.changed(Kind.ACTION, "REQUEST_CANCELLED", "requests/" + requestId, cancelled);
        flushAudit();
    }

    /** The escalation notice: the policy's escalation group is told, once. */
    public void escalate(String requestId) {
        Instant now = now();
        AccessRequest r = store.lockRequest(realm, requestId).orElse(null);
        if (r == null || r.status() != RequestStatus.PENDING || r.escalated() || r.escalateAt() == null
                || now.isBefore(r.escalateAt())) {
            return;
        }
        store.markEscalated(realm, requestId);
        Stage escalation = escalation(r);
        audit(null, "REQUEST_ESCALATED", requestId, null,
                Map.of("escalationGroup", String.valueOf(escalation == null ? null : escalation.approverGroup())));
        notifier.afterCommit(Notice.escalated(r, escalation));
        events.changed(Kind.ACTION, "REQUEST_ESCALATED", "requests/" + requestId, r);
        flushAudit();
    }

    private Stage escalation(AccessRequest r) {
        Set<String> policyIds = new HashSet<>();
        store.columnsOf(realm, r.datasource()).stream().filter(c -> r.columns().contains(c.fqn()))
                .forEach(c -> policyIds.add(c.policy()));
        List<Policy> policies = policyIds.stream().map(id -> store.policy(realm, id)).flatMap(java.util.Optional::stream).toList();
        return policies.isEmpty() ? null : RequestStateMachine.merge(policies).escalation();
    }

    // ------------------------------------------------------------------ audit

    /** Records an audit entry for a catalog change made by the caller (the catalog REST resource). */
    public void auditCatalog(UserModel actor, String action, Map<String, Object> details) {
        audit(actor, action, null, null, details);
        flushAudit();
    }

    private void audit(UserModel actor, String action, String requestId, String grantId, Map<String, ?> details) {
        pendingAudit.add(new AuditEntry(0, now(), actor == null ? null : actor.getId(),
                actor == null ? "system" : actor.getUsername(), action, requestId, grantId, json(details), null, null));
    }

    private void flushAudit() {
        store.appendAudit(realm, List.copyOf(pendingAudit));
        pendingAudit.clear();
    }

    private static String json(Map<String, ?> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
