package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.AuditEntry;
import dev.jitcolumns.keycloak.model.Datasource;
import dev.jitcolumns.keycloak.model.Decision;
import dev.jitcolumns.keycloak.model.DecisionRecord;
import dev.jitcolumns.keycloak.model.Grant;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.model.PendingDelivery;
import dev.jitcolumns.keycloak.model.Policy;
import dev.jitcolumns.keycloak.model.RequestStatus;
import dev.jitcolumns.keycloak.model.SensitiveColumn;
import dev.jitcolumns.keycloak.model.WebhookSettings;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.jpa.entities.UserEntity;

/** The domain store on Keycloak's own database and transaction (Hibernate ORM). */
final class JpaJitColumnsStore implements JitColumnsStore {

    /**
     * Hibernate's hint for entities only read: a page of requests keeps no snapshots, and the commit does not
     * dirty-check them. Only for pages and a user's active grants (the token mapper), which no request path changes
     * afterwards in the same session.
     */
    static final String READ_ONLY = "org.hibernate.readOnly";

    private final EntityManager em;
    private final Jdbc jdbc;
    /** This transaction holds a row lock of ours: see {@link #latest}. */
    private boolean locked;
    private final KeycloakSession session;
    private final CatalogCache catalogs;
    /** Told the id of each delivery this session queued, once its transaction has committed. */
    private final Consumer<String> deliverSoon;
    /** After a change of the catalog or the webhook this session reads them from its own transaction, never the shared cache. */
    private boolean catalogChanged;
    private final JpaAuditTrail audit;

    JpaJitColumnsStore(EntityManager em, KeycloakSession session, AuditSealer sealer, CatalogCache catalogs,
                       Consumer<String> deliverSoon) {
        this.em = em;
        this.jdbc = new Jdbc(em);
        this.session = session;
        this.audit = new JpaAuditTrail(em, jdbc, session, sealer);
        this.catalogs = catalogs;
        this.deliverSoon = deliverSoon;
    }

    // ---------------------------------------------------------------- catalog

    private CatalogCache.Catalog catalog(RealmModel realm) {
        return catalogChanged ? loadCatalog(realm) : catalogs.get(realm, () -> CatalogCache.stored(em, realm), () -> loadCatalog(realm));
    }

    private CatalogCache.Catalog loadCatalog(RealmModel realm) {
        return new CatalogCache.Catalog(
                em.createNamedQuery("jitDatasourcesByRealm", JitDatasourceEntity.class).setParameter("realmId", realm.getId())
                        .getResultStream().map(JpaJitColumnsStore::toModel).toList(),
                em.createNamedQuery("jitPoliciesByRealm", JitPolicyEntity.class).setParameter("realmId", realm.getId())
                        .getResultStream().map(JpaJitColumnsStore::toModel).toList(),
                em.createNamedQuery("jitColumnsByRealm", JitColumnEntity.class).setParameter("realmId", realm.getId())
                        .getResultStream().map(JpaJitColumnsStore::toModel).toList(),
                Optional.ofNullable(em.find(JitWebhookSettingsEntity.class, realm.getId()))
                        .map(e -> new WebhookSettings(e.getUrl(), e.getSecret())).orElse(null));
    }

    private boolean removeFromCatalog(RealmModel realm, Optional<?> entity) {
        entity.ifPresent(em::remove);
        em.flush();
        catalogChanged(realm);
        return entity.isPresent();
    }

    private void catalogChanged(RealmModel realm) {
        catalogChanged = true;
        CatalogCache.changed(em, realm);
    }

    @Override
    public List<Datasource> datasources(RealmModel realm) {
        return catalog(realm).datasources();
    }

    @Override
    public Optional<Datasource> datasource(RealmModel realm, String id) {
        return catalog(realm).datasource(id);
    }

    private Optional<JitDatasourceEntity> datasourceEntity(RealmModel realm, String id) {
        return em.createNamedQuery("jitDatasourceById", JitDatasourceEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("id", id).getResultStream().findFirst();
    }

    @Override
    public Datasource saveDatasource(RealmModel realm, Datasource d) {
        JitDatasourceEntity e = datasourceEntity(realm, d.id()).orElse(null);
        boolean create = e == null;
        if (create) {
            e = new JitDatasourceEntity();
            e.setInternalId(UUID.randomUUID().toString());
            e.setRealmId(realm.getId());
            e.setDatasourceId(d.id());
        }
        e.setName(d.name());
        e.setDescription(d.description());
        if (create) {
            em.persist(e);
        }
        em.flush();
        catalogChanged(realm);
        return toModel(e);
    }

    @Override
    public boolean deleteDatasource(RealmModel realm, String id) {
        return removeFromCatalog(realm, datasourceEntity(realm, id));
    }

    @Override
    public List<Policy> policies(RealmModel realm) {
        return catalog(realm).policies();
    }

    @Override
    public Optional<Policy> policy(RealmModel realm, String id) {
        return catalog(realm).policy(id);
    }

    private Optional<JitPolicyEntity> policyEntity(RealmModel realm, String id) {
        return em.createNamedQuery("jitPolicyById", JitPolicyEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("id", id).getResultStream().findFirst();
    }

    @Override
    public Policy savePolicy(RealmModel realm, Policy p) {
        JitPolicyEntity e = policyEntity(realm, p.id()).orElse(null);
        boolean create = e == null;
        if (create) {
            e = new JitPolicyEntity();
            e.setInternalId(UUID.randomUUID().toString());
            e.setRealmId(realm.getId());
            e.setPolicyId(p.id());
        }
        e.setName(p.name());
        e.setStages(StagesJson.write(p.stages()));
        e.setMaxDurationMinutes(p.maxDurationMinutes());
        e.setDefaultDurationMinutes(p.defaultDurationMinutes());
        e.setPendingTimeoutMinutes(p.pendingTimeoutMinutes());
        e.setEscalateAfterMinutes(p.escalateAfterMinutes());
        e.setEscalationGroup(p.escalationGroup());
        e.setEscalationGroupId(p.escalationGroupId());
        e.setReasonMinLength(p.reasonMinLength());
        e.setTicketPattern(p.ticketPattern());
        e.setBreakGlassMaxMinutes(p.breakGlassMaxMinutes());
        if (create) {
            em.persist(e);
        }
        em.flush();
        catalogChanged(realm);
        return toModel(e);
    }

    @Override
    public boolean deletePolicy(RealmModel realm, String id) {
        return removeFromCatalog(realm, policyEntity(realm, id));
    }

    @Override
    public List<SensitiveColumn> columns(RealmModel realm) {
        return catalog(realm).columns();
    }

    @Override
    public List<SensitiveColumn> columnsOf(RealmModel realm, String datasource) {
        return catalog(realm).columnsOf(datasource);
    }

    @Override
    public Optional<SensitiveColumn> column(RealmModel realm, String id) {
        return catalog(realm).column(id);
    }

    private Optional<JitColumnEntity> columnEntity(RealmModel realm, String id) {
        JitColumnEntity e = em.find(JitColumnEntity.class, id);
        return e != null && e.getRealmId().equals(realm.getId()) ? Optional.of(e) : Optional.empty();
    }

    @Override
    public SensitiveColumn saveColumn(RealmModel realm, SensitiveColumn c) {
        JitColumnEntity e = c.id() == null ? null : columnEntity(realm, c.id()).orElse(null);
        boolean create = e == null;
        if (create) {
            e = new JitColumnEntity();
            e.setId(c.id() == null ? UUID.randomUUID().toString() : c.id());
            e.setRealmId(realm.getId());
        }
        e.setDatasourceId(c.datasource());
        e.setSchemaName(c.schema());
        e.setTableName(c.table());
        e.setColumnName(c.column());
        e.setLabel(c.label());
        e.setDescription(c.description());
        e.setPolicyId(c.policy());
        if (create) {
            em.persist(e);
        }
        em.flush();
        catalogChanged(realm);
        return toModel(e);
    }

    @Override
    public boolean deleteColumn(RealmModel realm, String id) {
        return removeFromCatalog(realm, columnEntity(realm, id));
    }

    @Override
    public long countColumnsUsing(RealmModel realm, String datasource, String policy) {
        return em.createNamedQuery("jitColumnsUsing", Long.class).setParameter("realmId", realm.getId())
                .setParameter("datasource", datasource == null ? "" : datasource)
                .setParameter("policy", policy == null ? "" : policy).getSingleResult();
    }

    // ---------------------------------------------------------------- requests

    @Override
    public AccessRequest createRequest(RealmModel realm, AccessRequest r) {
        String id = UUID.randomUUID().toString();
        jdbc.update(RequestRows.insert(table("JIT_REQUEST")), ps -> RequestRows.bindInsert(ps, id, realm.getId(), r));
        jdbc.batch(RequestRows.insertApprover(table("JIT_REQUEST_APPROVER")), List.copyOf(RequestRows.approverKeys(r.stages())),
                (ps, key) -> {
                    ps.setString(1, id);
                    ps.setString(2, key);
                });
        return new AccessRequest(id, r.status(), r.datasource(), r.columns(), r.reason(), r.ticket(), r.durationMinutes(),
                r.breakGlass(), r.requesterId(), r.requesterUsername(), r.currentStage(), r.stages(), List.of(), r.createdAt(),
                r.decidedAt(), r.extendsGrantId(), null, r.timeoutAt(), r.escalateAt(), false);
    }

    @Override
    public Optional<AccessRequest> request(RealmModel realm, String id) {
        return requestRow(realm, id, false).map(this::withDetails);
    }

    @Override
    public Optional<AccessRequest> lockRequest(RealmModel realm, String id) {
        return requestRow(realm, id, true).map(this::withDetails);
    }

    private Optional<RequestRows.Row> requestRow(RealmModel realm, String id, boolean lock) {
        if (id == null || id.length() > 36) {
            return Optional.empty();
        }
        locked |= lock;
        return jdbc.query(database -> RequestRows.select(table("JIT_REQUEST"), database, lock), ps -> ps.setString(1, id),
                RequestRows::read).stream().filter(row -> row.realmId().equals(realm.getId())).findFirst();
    }

    @Override
    public List<AccessRequest> requestsOf(RealmModel realm, String requesterId, int first, int max) {
        return withDetails(em.createNamedQuery("jitRequestsOf", JitRequestEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("userId", requesterId), first, max);
    }

    @Override
    public List<AccessRequest> requests(RealmModel realm, RequestStatus status, int first, int max) {
        TypedQuery<JitRequestEntity> q = status == null
                ? em.createNamedQuery("jitRequests", JitRequestEntity.class)
                : em.createNamedQuery("jitRequestsByStatus", JitRequestEntity.class).setParameter("status", status.name());
        return withDetails(q.setParameter("realmId", realm.getId()), first, max);
    }

    @Override
    public List<AccessRequest> requestsForApprover(RealmModel realm, RequestStatus status, Collection<String> approverKeys,
                                                   int first, int max) {
        if (approverKeys.isEmpty()) {
            return List.of();
        }
        TypedQuery<JitRequestEntity> q = status == null
                ? em.createNamedQuery("jitRequestsForApprover", JitRequestEntity.class)
                : em.createNamedQuery("jitRequestsForApproverByStatus", JitRequestEntity.class).setParameter("status", status.name());
        return withDetails(q.setParameter("realmId", realm.getId()).setParameter("keys", approverKeys), first, max);
    }

    @Override
    public List<AccessRequest> decidableRequests(RealmModel realm, Collection<String> approverKeys, String userId, int first, int max) {
        if (approverKeys.isEmpty()) {
            return List.of();
        }
        // Plain JDBC: as a native query mapped to entities, Hibernate's result-set mapping was half of this page's CPU.
        List<RequestRows.Row> page = jdbc.query(new InboxQuery(table("JIT_REQUEST"), table("JIT_DECISION"), realm.getId(),
                List.copyOf(new LinkedHashSet<>(approverKeys)), System.currentTimeMillis(), userId, first, max), RequestRows::read);
        return withDetails(page);
    }

    @Override
    public List<String> dueForTimeout(RealmModel realm, Instant now, int max) {
        return em.createNamedQuery("jitDueForTimeout", String.class).setParameter("realmId", realm.getId())
                .setParameter("now", now.toEpochMilli()).setMaxResults(max).getResultList();
    }

    @Override
    public List<String> pendingWithRemovedApprovers(RealmModel realm, int max) {
        return em.createNamedQuery("jitPendingWithRemovedApprovers", String.class).setParameter("realmId", realm.getId())
                .setMaxResults(max).getResultList();
    }

    @Override
    public List<String> dueForEscalation(RealmModel realm, Instant now, int max) {
        return em.createNamedQuery("jitDueForEscalation", String.class).setParameter("realmId", realm.getId())
                .setParameter("now", now.toEpochMilli()).setMaxResults(max).getResultList();
    }

    @Override
    public void addDecision(RealmModel realm, AccessRequest r, DecisionRecord d, RequestStatus status, int currentStage,
                            Instant decidedAt, String grantId) {
        jdbc.update("insert into " + table("JIT_DECISION") + " (ID, REQUEST_ID, STAGE_INDEX, STAGE_NAME, APPROVER_ID,"
                + " APPROVER_USERNAME, DECISION, COMMENT, AT) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, r.id());
            ps.setInt(3, d.stageIndex());
            ps.setString(4, d.stage());
            ps.setString(5, d.approverId());
            ps.setString(6, d.approverUsername());
            ps.setString(7, d.decision().name());
            ps.setString(8, d.comment());
            ps.setLong(9, d.at().toEpochMilli());
        });
        jdbc.update("update " + table("JIT_REQUEST") + " set STATUS = ?, CURRENT_STAGE = ?, CURRENT_APPROVER = ?, DECIDED_AT = ?,"
                + " GRANT_ID = coalesce(?, GRANT_ID), DECISION_COUNT = DECISION_COUNT + 1, VERSION = VERSION + 1 where ID = ?", ps -> {
            ps.setString(1, status.name());
            ps.setInt(2, currentStage);
            ps.setString(3, RequestRows.currentApprover(status, currentStage, r.stages()));
            RequestRows.setMillis(ps, 4, status == RequestStatus.PENDING ? r.decidedAt() : decidedAt);
            ps.setString(5, grantId);
            ps.setString(6, r.id());
        });
    }

    @Override
    public AccessRequest setStatus(RealmModel realm, String requestId, RequestStatus status, Instant decidedAt) {
        if (status == RequestStatus.PENDING) {
            throw new IllegalArgumentException("setStatus moves a request to a final status; decisions keep it PENDING");
        }
        jdbc.update("update " + table("JIT_REQUEST") + " set STATUS = ?, CURRENT_APPROVER = null,"
                + " DECIDED_AT = coalesce(DECIDED_AT, ?), VERSION = VERSION + 1 where ID = ? and REALM_ID = ?", ps -> {
            ps.setString(1, status.name());
            RequestRows.setMillis(ps, 2, decidedAt);
            ps.setString(3, requestId);
            ps.setString(4, realm.getId());
        });
        return request(realm, requestId).orElseThrow(() -> new IllegalStateException("no request " + requestId));
    }

    @Override
    public void markEscalated(RealmModel realm, String requestId) {
        jdbc.update("update " + table("JIT_REQUEST") + " set ESCALATED = ?, VERSION = VERSION + 1 where ID = ? and REALM_ID = ?", ps -> {
            ps.setBoolean(1, true);
            ps.setString(2, requestId);
            ps.setString(3, realm.getId());
        });
    }

    // ---------------------------------------------------------------- grants

    @Override
    public Grant createGrant(RealmModel realm, Grant g) {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into " + table("JIT_GRANT") + " (ID, REALM_ID, REQUEST_ID, USER_ID, USERNAME, DATASOURCE_ID, COLUMNS,"
                + " STARTS_AT, EXPIRES_AT, BREAK_GLASS, REVIEW_REQUIRED, CLOSED) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, id);
                    ps.setString(2, realm.getId());
                    ps.setString(3, g.requestId());
                    ps.setString(4, g.userId());
                    ps.setString(5, g.username());
                    ps.setString(6, g.datasource());
                    ps.setString(7, String.join(",", g.columns()));
                    ps.setLong(8, g.startsAt().toEpochMilli());
                    ps.setLong(9, g.expiresAt().toEpochMilli());
                    ps.setBoolean(10, g.breakGlass());
                    ps.setBoolean(11, g.reviewRequired());
                    ps.setBoolean(12, false);
                });
        return new Grant(id, g.requestId(), g.userId(), g.username(), g.datasource(), g.columns(), g.startsAt(),
                g.expiresAt(), null, null, null, g.breakGlass(), g.reviewRequired());
    }

    @Override
    public Optional<Grant> grant(RealmModel realm, String id) {
        return grantEntity(realm, id, false).map(JpaJitColumnsStore::toModel);
    }

    @Override
    public void linkGrant(RealmModel realm, String requestId, String grantId) {
        jdbc.update("update " + table("JIT_REQUEST") + " set GRANT_ID = ?, VERSION = VERSION + 1 where ID = ? and REALM_ID = ?", ps -> {
            ps.setString(1, grantId);
            ps.setString(2, requestId);
            ps.setString(3, realm.getId());
        });
    }

    @Override
    public Optional<Grant> lockGrant(RealmModel realm, String id) {
        return grantEntity(realm, id, true).map(JpaJitColumnsStore::toModel);
    }

    private Optional<JitGrantEntity> grantEntity(RealmModel realm, String id, boolean lock) {
        if (id == null || id.length() > 36) {
            return Optional.empty();
        }
        locked |= lock;
        JitGrantEntity e = em.find(JitGrantEntity.class, id);
        if (e != null && lock) {
            // Read again under the lock: a find with a lock only locks a grant this transaction read before (to check
            // who may revoke it, say), and its state would be the one read before another revocation committed.
            em.refresh(e, LockModeType.PESSIMISTIC_WRITE);
        }
        return e != null && e.getRealmId().equals(realm.getId()) ? Optional.of(e) : Optional.empty();
    }

    @Override
    public List<Grant> activeGrants(RealmModel realm, String userId) {
        return latest(em.createNamedQuery("jitActiveGrants", JitGrantEntity.class)).setParameter("realmId", realm.getId())
                .setParameter("userId", userId).setParameter("now", System.currentTimeMillis()).setHint(READ_ONLY, true)
                .getResultStream().map(JpaJitColumnsStore::toModel).toList();
    }

    @Override
    public List<Grant> approvedOrRevokedGrants(RealmModel realm, String userId, String datasource) {
        return latest(em.createNamedQuery("jitApprovedOrRevokedGrantsOfUser", JitGrantEntity.class)).setParameter("realmId", realm.getId())
                .setParameter("userId", userId).setParameter("datasource", datasource)
                .setHint(READ_ONLY, true).getResultStream().map(JpaJitColumnsStore::toModel).toList();
    }

    @Override
    public List<String> activeGrantIds(RealmModel realm, String userId) {
        return em.createNamedQuery("jitActiveGrantIds", String.class).setParameter("realmId", realm.getId())
                .setParameter("userId", userId).setParameter("now", System.currentTimeMillis()).getResultList();
    }

    @Override
    public List<String> disabledHoldersOfActiveGrants(RealmModel realm) {
        return em.createNamedQuery("jitDisabledHoldersOfActiveGrants", String.class).setParameter("realmId", realm.getId())
                .setParameter("now", System.currentTimeMillis()).getResultList();
    }

    @Override
    public List<String> federatedHoldersOfActiveGrants(RealmModel realm) {
        return em.createNamedQuery("jitFederatedHoldersOfActiveGrants", String.class).setParameter("realmId", realm.getId())
                .setParameter("now", System.currentTimeMillis()).getResultList();
    }

    @Override
    public boolean isDisabled(RealmModel realm, String userId) {
        UserEntity user = em.find(UserEntity.class, userId);
        return user != null && realm.getId().equals(user.getRealmId()) && !user.isEnabled();
    }

    @Override
    public List<Grant> grants(RealmModel realm, boolean activeOnly, int first, int max) {
        TypedQuery<JitGrantEntity> q = activeOnly
                ? em.createNamedQuery("jitGrantsActive", JitGrantEntity.class).setParameter("now", System.currentTimeMillis())
                : em.createNamedQuery("jitGrants", JitGrantEntity.class);
        return q.setParameter("realmId", realm.getId()).setFirstResult(first).setMaxResults(max)
                .getResultStream().map(JpaJitColumnsStore::toModel).toList();
    }

    @Override
    public List<Grant> grantsForApprover(RealmModel realm, boolean activeOnly, Collection<String> approverKeys, int first, int max) {
        if (approverKeys.isEmpty()) {
            return List.of();
        }
        TypedQuery<JitGrantEntity> q = activeOnly
                ? em.createNamedQuery("jitGrantsActiveForApprover", JitGrantEntity.class).setParameter("now", System.currentTimeMillis())
                : em.createNamedQuery("jitGrantsForApprover", JitGrantEntity.class);
        return q.setParameter("realmId", realm.getId()).setParameter("keys", approverKeys).setFirstResult(first)
                .setMaxResults(max).setHint(READ_ONLY, true).getResultStream().map(JpaJitColumnsStore::toModel).toList();
    }

    @Override
    public List<String> dueForExpiry(RealmModel realm, Instant now, int max) {
        return em.createNamedQuery("jitDueForExpiry", String.class).setParameter("realmId", realm.getId())
                .setParameter("now", now.toEpochMilli()).setMaxResults(max).getResultList();
    }

    @Override
    public Grant extendGrant(RealmModel realm, String grantId, Instant newExpiresAt) {
        JitGrantEntity e = grantEntity(realm, grantId, false).orElseThrow();
        e.setExpiresAt(newExpiresAt.toEpochMilli());
        em.flush();
        return toModel(e);
    }

    @Override
    public Grant revokeGrant(RealmModel realm, String grantId, String revokedBy, String reason, Instant at) {
        JitGrantEntity e = grantEntity(realm, grantId, false).orElseThrow();
        e.setRevokedAt(at.toEpochMilli());
        e.setRevokedBy(revokedBy);
        e.setRevokeReason(reason);
        e.setClosed(true);
        em.flush();
        return toModel(e);
    }

    @Override
    public List<Grant> revokedGrants(RealmModel realm, Instant endedAfter, FeedPosition after, int max) {
        return em.createNamedQuery("jitRevokedSince", JitGrantEntity.class).setParameter("realmId", realm.getId())
                .setParameter("endedAfter", endedAfter.toEpochMilli())
                .setParameter("afterAt", after == null ? Long.MIN_VALUE : after.revokedAt().toEpochMilli())
                .setParameter("afterId", after == null ? "" : after.grantId()).setMaxResults(max)
                .getResultStream().map(JpaJitColumnsStore::toModel).toList();
    }

    @Override
    public boolean closeGrant(RealmModel realm, String grantId) {
        Optional<JitGrantEntity> open = grantEntity(realm, grantId, false).filter(e -> !e.isClosed());
        open.ifPresent(e -> e.setClosed(true));
        em.flush();
        return open.isPresent();
    }

    @Override
    public List<String> requestIdsOfGrant(RealmModel realm, String grantId) {
        List<String> ids = new ArrayList<>(latest(em.createNamedQuery("jitRequestsOfGrant", String.class))
                .setParameter("realmId", realm.getId()).setParameter("grantId", grantId).getResultList());
        grantEntity(realm, grantId, false).ifPresent(g -> {
            if (!ids.contains(g.getRequestId())) {
                ids.add(0, g.getRequestId());
            }
        });
        return ids;
    }

    /**
     * The row locked is the user's own in Keycloak's {@code USER_ENTITY}: nothing else of ours is one row per user. A
     * user that only user storage holds has none; the realm's audit head stands in (break glass is rare).
     */
    @Override
    public void lockBreakGlass(RealmModel realm, String userId) {
        locked = true;
        if (em.find(UserEntity.class, userId, LockModeType.PESSIMISTIC_WRITE) == null) {
            em.find(JitAuditHeadEntity.class, realm.getId(), LockModeType.PESSIMISTIC_WRITE);
        }
    }

    /**
     * A read of what a decision rests on. Once this transaction holds a lock of ours (a request, a grant, a user's break
     * glass), it must see what the lock's previous holder committed. Where plain reads answer from a snapshot taken
     * before the lock was granted ({@link Jdbc#readsSnapshots}: by Keycloak's own reads, say), the read takes a shared
     * lock, which reads the latest rows.
     */
    private <T> TypedQuery<T> latest(TypedQuery<T> query) {
        return locked && jdbc.readsSnapshots() ? query.setLockMode(LockModeType.PESSIMISTIC_READ) : query;
    }

    @Override
    public List<String> pendingExtensionsOf(RealmModel realm, String grantId) {
        return em.createNamedQuery("jitPendingExtensionsOfGrant", String.class).setParameter("realmId", realm.getId())
                .setParameter("grantId", grantId).getResultList();
    }

    // ---------------------------------------------------------------- webhook settings

    @Override
    public Optional<WebhookSettings> webhookSettings(RealmModel realm) {
        return catalog(realm).webhookSettings();
    }

    @Override
    public void saveWebhookSettings(RealmModel realm, String url, String secret) {
        JitWebhookSettingsEntity e = em.find(JitWebhookSettingsEntity.class, realm.getId());
        if (e == null) {
            e = new JitWebhookSettingsEntity();
            e.setRealmId(realm.getId());
            e.setUrl(url);
            e.setSecret(secret);
            em.persist(e);
        } else {
            e.setUrl(url);
            if (secret != null) {
                e.setSecret(secret);
            }
        }
        em.flush();
        catalogChanged(realm);
    }

    @Override
    public boolean deleteWebhookSettings(RealmModel realm) {
        JitWebhookSettingsEntity e = em.find(JitWebhookSettingsEntity.class, realm.getId());
        if (e != null) {
            em.remove(e);
            em.flush();
            catalogChanged(realm);
        }
        return e != null;
    }

    // ---------------------------------------------------------------- webhook outbox

    /** On the change's path, like the other rows it writes: one JDBC insert rather than an entity to flush. */
    @Override
    public void queueDelivery(RealmModel realm, String id, String type, String body, Instant at) {
        jdbc.update("insert into " + table("JIT_WEBHOOK_OUTBOX") + " (ID, REALM_ID, EVENT_TYPE, BODY, ATTEMPTS,"
                + " NEXT_ATTEMPT_AT, CREATED_AT) values (?, ?, ?, ?, 0, ?, ?)", ps -> {
            ps.setString(1, id);
            ps.setString(2, realm.getId());
            ps.setString(3, type);
            ps.setString(4, body);
            ps.setLong(5, at.toEpochMilli());
            ps.setLong(6, at.toEpochMilli());
        });
        if (deliverSoon != null) {
            session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
                @Override
                protected void commitImpl() {
                    deliverSoon.accept(id);
                }

                @Override
                protected void rollbackImpl() {
                }
            });
        }
    }

    @Override
    public List<String> dueDeliveries(Instant now, int max) {
        return em.createNamedQuery("jitWebhookDeliveriesDue", String.class).setParameter("now", now.toEpochMilli())
                .setMaxResults(max).getResultList();
    }

    /**
     * Portable: an update whose condition the database checks again on the row it locked, where {@code select ... for
     * update skip locked} exists only in some dialects. The loser of a race updates nothing.
     */
    @Override
    public Optional<PendingDelivery> claimDelivery(String id, Instant now, Instant until) {
        int claimed = em.createNamedQuery("jitWebhookDeliveryClaim").setParameter("id", id)
                .setParameter("now", now.toEpochMilli()).setParameter("until", until.toEpochMilli()).executeUpdate();
        if (claimed == 0) {
            return Optional.empty();
        }
        JitWebhookDeliveryEntity d = em.find(JitWebhookDeliveryEntity.class, id);
        return Optional.of(new PendingDelivery(d.getId(), d.getRealmId(), d.getEventType(), d.getBody(), d.getAttempts(),
                Instant.ofEpochMilli(d.getCreatedAt())));
    }

    @Override
    public void retryDelivery(String id, Instant at) {
        em.createNamedQuery("jitWebhookDeliveryRetry").setParameter("id", id).setParameter("at", at.toEpochMilli())
                .executeUpdate();
    }

    @Override
    public void removeDelivery(String id) {
        em.createNamedQuery("jitWebhookDeliveryRemove").setParameter("id", id).executeUpdate();
    }

    // ---------------------------------------------------------------- audit

    @Override
    public void appendAudit(RealmModel realm, List<AuditEntry> entries) {
        audit.append(realm, entries);
    }

    @Override
    public int sealAudit(RealmModel realm) {
        return audit.seal(realm);
    }

    @Override
    public int sealAudit(RealmModel realm, List<Long> entryIds) {
        return audit.seal(realm, entryIds);
    }

    @Override
    public List<AuditEntry> audit(RealmModel realm, Instant from, Instant to, int first, int max) {
        return audit.page(realm, from, to, first, max);
    }

    @Override
    public List<AuditEntry> sealedAuditAfter(RealmModel realm, Instant from, Instant to, long afterSeq, long upToSeq, int max) {
        return audit.sealedAfter(realm, from, to, afterSeq, upToSeq, max);
    }

    @Override
    public long pendingAuditCount(RealmModel realm) {
        return audit.pendingCount(realm);
    }

    @Override
    public AuditEntry auditHead(RealmModel realm) {
        return audit.head(realm);
    }

    @Override
    public void removeRealm(RealmModel realm) {
        catalogs.forget(realm.getId());
        for (String dependent : List.of("JitDecisionEntity", "JitRequestApproverEntity")) {
            em.createQuery("delete from " + dependent + " d where d.requestId in "
                    + "(select r.id from JitRequestEntity r where r.realmId = :realmId)").setParameter("realmId", realm.getId()).executeUpdate();
        }
        for (Class<?> entity : List.of(JitGrantEntity.class, JitRequestEntity.class, JitColumnEntity.class, JitPolicyEntity.class,
                JitDatasourceEntity.class, JitAuditEntryEntity.class, JitAuditHeadEntity.class, JitWebhookDeliveryEntity.class,
                JitWebhookSettingsEntity.class)) {
            em.createQuery("delete from " + entity.getSimpleName() + " e where e.realmId = :realmId")
                    .setParameter("realmId", realm.getId()).executeUpdate();
        }
    }

    // ---------------------------------------------------------------- mapping

    private String table(String name) {
        return jdbc.table(name);
    }

    /**
     * One request's decisions and grant. Measured: an {@code in (...)} query here had Hibernate translate it to SQL
     * again on every execution, a third of the CPU of an approval; an equality query and a find do not.
     */
    private AccessRequest withDetails(RequestRows.Row row) {
        List<DecisionRecord> decisions = row.decisionCount() == 0 ? List.of()
                : latest(em.createNamedQuery("jitDecisionsOfRequest", JitDecisionEntity.class))
                        .setParameter("id", row.request().id()).getResultStream().map(JpaJitColumnsStore::toModel).toList();
        JitGrantEntity grant = row.grantId() == null ? null : em.find(JitGrantEntity.class, row.grantId());
        return row.request().withDetails(decisions, grant == null ? null : toModel(grant));
    }

    private List<AccessRequest> withDetails(TypedQuery<JitRequestEntity> q, int first, int max) {
        return withDetails(q.setHint(READ_ONLY, true).setFirstResult(first).setMaxResults(max).getResultStream()
                .map(JpaJitColumnsStore::toRow).toList());
    }

    /**
     * Decisions and grants of a page of requests in at most two queries, whatever the page size; requests nobody
     * decided on yet (an inbox, mostly) need no decisions query.
     */
    private List<AccessRequest> withDetails(List<RequestRows.Row> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        List<String> ids = page.stream().filter(r -> r.decisionCount() > 0).map(r -> r.request().id()).toList();
        Map<String, List<DecisionRecord>> decisions = ids.isEmpty() ? Map.of()
                : InQuery.of(em, "select d from JitDecisionEntity d where d.requestId in (%s) order by d.at, d.id",
                        JitDecisionEntity.class, ids).setHint(READ_ONLY, true).getResultStream()
                .collect(Collectors.groupingBy(JitDecisionEntity::getRequestId,
                        Collectors.mapping(JpaJitColumnsStore::toModel, Collectors.toList())));
        List<String> grantIds = page.stream().map(RequestRows.Row::grantId).filter(java.util.Objects::nonNull).distinct().toList();
        Map<String, Grant> grants = new HashMap<>();
        if (!grantIds.isEmpty()) {
            InQuery.of(em, "select g from JitGrantEntity g where g.id in (%s)", JitGrantEntity.class, grantIds)
                    .setHint(READ_ONLY, true).getResultStream().forEach(g -> grants.put(g.getId(), toModel(g)));
        }
        return page.stream().map(r -> r.request().withDetails(decisions.getOrDefault(r.request().id(), List.of()),
                r.grantId() == null ? null : grants.get(r.grantId()))).toList();
    }

    private static RequestRows.Row toRow(JitRequestEntity e) {
        return new RequestRows.Row(e.getRealmId(), new AccessRequest(e.getId(), RequestStatus.valueOf(e.getStatus()), e.getDatasourceId(),
                RequestRows.split(e.getColumns()), e.getReason(), e.getTicket(), e.getDurationMinutes(), e.isBreakGlass(),
                e.getRequesterId(), e.getRequesterUsername(), e.getCurrentStage(), StagesJson.read(e.getStages()), List.of(),
                Instant.ofEpochMilli(e.getCreatedAt()), instant(e.getDecidedAt()), e.getExtendsGrantId(), null,
                instant(e.getTimeoutAt()), instant(e.getEscalateAt()), e.isEscalated()), e.getDecisionCount(), e.getGrantId());
    }

    private static DecisionRecord toModel(JitDecisionEntity d) {
        return new DecisionRecord(d.getStageIndex(), d.getStageName(), d.getApproverId(), d.getApproverUsername(),
                Decision.valueOf(d.getDecision()), d.getComment(), Instant.ofEpochMilli(d.getAt()));
    }

    private static Grant toModel(JitGrantEntity g) {
        return new Grant(g.getId(), g.getRequestId(), g.getUserId(), g.getUsername(), g.getDatasourceId(),
                RequestRows.split(g.getColumns()), Instant.ofEpochMilli(g.getStartsAt()), Instant.ofEpochMilli(g.getExpiresAt()),
                instant(g.getRevokedAt()), g.getRevokedBy(), g.getRevokeReason(), g.isBreakGlass(), g.isReviewRequired());
    }

    private static Datasource toModel(JitDatasourceEntity d) {
        return new Datasource(d.getDatasourceId(), d.getName(), d.getDescription());
    }

    private static Policy toModel(JitPolicyEntity p) {
        return new Policy(p.getPolicyId(), p.getName(), StagesJson.read(p.getStages()), p.getMaxDurationMinutes(),
                p.getDefaultDurationMinutes(), p.getPendingTimeoutMinutes(), p.getEscalateAfterMinutes(),
                p.getEscalationGroup(), p.getEscalationGroupId(), p.getReasonMinLength(), p.getTicketPattern(), p.getBreakGlassMaxMinutes());
    }

    private static SensitiveColumn toModel(JitColumnEntity c) {
        return new SensitiveColumn(c.getId(), c.getDatasourceId(), c.getSchemaName(), c.getTableName(),
                c.getColumnName(), c.getLabel(), c.getDescription(), c.getPolicyId());
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public void close() {
    }
}
