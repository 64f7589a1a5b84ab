package dev.jitcolumns.keycloak.model;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/**
 * The domain SPI: the catalog, requests, decisions, grants and the audit chain of a realm, inside the
 * caller's Keycloak transaction. REST resources, the scheduler and the token code use this, never JPA.
 * Obtain it with {@code session.getProvider(JitColumnsStore.class)}.
 */
public interface JitColumnsStore extends Provider {

    // ---- catalog ----

    List<Datasource> datasources(RealmModel realm);

    Optional<Datasource> datasource(RealmModel realm, String id);

    /** Creates or replaces by id. */
    Datasource saveDatasource(RealmModel realm, Datasource datasource);

    /** False when it did not exist. */
    boolean deleteDatasource(RealmModel realm, String id);

    List<Policy> policies(RealmModel realm);

    Optional<Policy> policy(RealmModel realm, String id);

    Policy savePolicy(RealmModel realm, Policy policy);

    boolean deletePolicy(RealmModel realm, String id);

    List<SensitiveColumn> columns(RealmModel realm);

    List<SensitiveColumn> columnsOf(RealmModel realm, String datasource);

    Optional<SensitiveColumn> column(RealmModel realm, String id);

    /** Creates (when {@code column.id()} is null, with a new id) or replaces. */
    SensitiveColumn saveColumn(RealmModel realm, SensitiveColumn column);

    boolean deleteColumn(RealmModel realm, String id);

    long countColumnsUsing(RealmModel realm, String datasource, String policy);

    // ---- requests ----

    /** Persists a new request (id, decisions and grant are ignored) and returns it with its id. */
    AccessRequest createRequest(RealmModel realm, AccessRequest request);

    Optional<AccessRequest> request(RealmModel realm, String id);

    /** The request, its row locked until the transaction ends: decisions on one request are serialised. */
    Optional<AccessRequest> lockRequest(RealmModel realm, String id);

    /** The requester's own requests, newest first. */
    List<AccessRequest> requestsOf(RealmModel realm, String requesterId, int first, int max);

    /** All requests (optionally of one status), newest first. */
    List<AccessRequest> requests(RealmModel realm, RequestStatus status, int first, int max);

    /** The requests (optionally of one status) with some stage decided by one of {@code approverKeys}, newest first. */
    List<AccessRequest> requestsForApprover(RealmModel realm, RequestStatus status, Collection<String> approverKeys,
                                            int first, int max);

    /**
     * Pending requests whose current stage is decided by one of {@code approverKeys} ({@link Stage#approverKey()}),
     * not requested by {@code userId}, not yet decided by them and not past their timeout, oldest first.
     */
    List<AccessRequest> decidableRequests(RealmModel realm, Collection<String> approverKeys, String userId, int first, int max);

    /**
     * Pending requests whose stage being decided names a group or realm role that was removed from the realm since:
     * nobody may decide them any more (requests keep the stages they were created with).
     */
    List<String> pendingWithRemovedApprovers(RealmModel realm, int max);

    /** Pending requests to time out ({@code timeoutAt <= now}) or escalate ({@code escalateAt <= now}, not yet). */
    List<String> dueForTimeout(RealmModel realm, Instant now, int max);

    List<String> dueForEscalation(RealmModel realm, Instant now, int max);

    /**
     * Records a decision on a locked request, moves it to {@code status} / {@code currentStage}, and links it to the
     * grant the decision created or extended ({@code grantId}; null: none).
     */
    void addDecision(RealmModel realm, AccessRequest request, DecisionRecord decision, RequestStatus status,
                     int currentStage, Instant decidedAt, String grantId);

    /** Moves a locked request out of PENDING (or on from APPROVED); {@code decidedAt} is kept if already set. */
    AccessRequest setStatus(RealmModel realm, String requestId, RequestStatus status, Instant decidedAt);

    void markEscalated(RealmModel realm, String requestId);

    // ---- grants ----

    /** Creates the grant of an approved request (one per request); the request is linked by the caller. */
    Grant createGrant(RealmModel realm, Grant grant);

    Optional<Grant> grant(RealmModel realm, String id);

    /** Links a request to its grant (a break-glass request to the grant it activated). */
    void linkGrant(RealmModel realm, String requestId, String grantId);

    /** The grant, its row locked until the transaction ends. */
    Optional<Grant> lockGrant(RealmModel realm, String id);

    /**
     * A user's active grants (not revoked, {@code startsAt <= now < expiresAt}), computed at query time, earliest
     * end first. What the protocol mapper and {@code POST /token} put into tokens.
     */
    List<Grant> activeGrants(RealmModel realm, String userId);

    /**
     * A user's grants on a datasource that an approver gave or that were revoked: every grant but the break-glass
     * grants never revoked, which a user can make as many of as they like.
     */
    List<Grant> approvedOrRevokedGrants(RealmModel realm, String userId, String datasource);

    /** The ids of {@link #activeGrants}, for changing them: no grant is loaded (as read-only) on the way. */
    List<String> activeGrantIds(RealmModel realm, String userId);

    /**
     * The users who hold an active grant and are disabled, by id: as Keycloak's own user table says, not as user
     * storage shows them (it shows every user of a disabled LDAP provider or organisation as disabled, for a while).
     */
    List<String> disabledHoldersOfActiveGrants(RealmModel realm);

    /**
     * The holders of an active grant whom only user storage holds, not Keycloak's user table (LDAP without import, a
     * custom store): their ids are {@code f:<provider>:<external id>}.
     */
    List<String> federatedHoldersOfActiveGrants(RealmModel realm);

    /** Whether Keycloak's own user table says the user is disabled. */
    boolean isDisabled(RealmModel realm, String userId);

    /** The realm's grants; {@code activeOnly} keeps those active now. Newest first. */
    List<Grant> grants(RealmModel realm, boolean activeOnly, int first, int max);

    /** {@link #grants} of requests with some stage decided by one of {@code approverKeys}. */
    List<Grant> grantsForApprover(RealmModel realm, boolean activeOnly, Collection<String> approverKeys, int first, int max);

    /** Grants whose end has passed while their request is still APPROVED (the scheduler expires them). */
    List<String> dueForExpiry(RealmModel realm, Instant now, int max);

    Grant extendGrant(RealmModel realm, String grantId, Instant newExpiresAt);

    Grant revokeGrant(RealmModel realm, String grantId, String revokedBy, String reason, Instant at);

    /**
     * Revoked grants that would have lasted beyond {@code endedAfter} (a token may still carry them), in revocation
     * order, from just after {@code after} (null: from the first).
     */
    List<Grant> revokedGrants(RealmModel realm, Instant endedAfter, FeedPosition after, int max);

    /** A place in the revocation order: a page of the feed resumes after its last entry. */
    record FeedPosition(Instant revokedAt, String grantId) {
        public static FeedPosition of(Grant g) {
            return new FeedPosition(g.revokedAt(), g.id());
        }
    }

    /** Marks the end of a grant as processed: it leaves the scheduler's work list. False if it already was. */
    boolean closeGrant(RealmModel realm, String grantId);

    /** Requests (the original and approved extensions) that share this grant. */
    List<String> requestIdsOfGrant(RealmModel realm, String grantId);

    /**
     * Serialises the break-glass activations of one user until the transaction ends, so that two sent at once cannot
     * both find no activation under way.
     */
    void lockBreakGlass(RealmModel realm, String userId);

    /** The realm's webhook, if a manager set one. */
    Optional<WebhookSettings> webhookSettings(RealmModel realm);

    /** Sets the realm's webhook; a null secret keeps the one set before (the first call must give one). */
    void saveWebhookSettings(RealmModel realm, String url, String secret);

    /** Removes the realm's webhook; false if it had none. */
    boolean deleteWebhookSettings(RealmModel realm);

    /** Pending requests to extend this grant. */
    List<String> pendingExtensionsOf(RealmModel realm, String grantId);

    /** Deletes everything of the realm (catalog, requests, decisions, grants, audit trail, webhook outbox): the realm is being removed. */
    void removeRealm(RealmModel realm);

    // ---- webhook outbox ----

    /**
     * Queues a webhook delivery in the caller's transaction, due at once: a committed change always has its delivery,
     * a rolled-back one none. Once the transaction commits, it is attempted at once by a job of its own; the scheduler
     * attempts what such a job missed or failed ({@link #dueDeliveries}).
     */
    void queueDelivery(RealmModel realm, String id, String type, String body, Instant at);

    /** Ids of the deliveries due at {@code now}, of all realms, oldest first. */
    List<String> dueDeliveries(Instant now, int max);

    /**
     * Takes a due delivery for one attempt: counts the attempt and moves its next one to {@code until}, in one update
     * that only one transaction wins, so that two nodes never post it at the same moment. Empty when it is not due
     * (another node holds it) or no longer queued.
     */
    Optional<PendingDelivery> claimDelivery(String id, Instant now, Instant until);

    /** After a failed attempt: the next one is due at {@code at}. */
    void retryDelivery(String id, Instant at);

    /** Delivered, refused or given up: out of the outbox. */
    void removeDelivery(String id);

    // ---- audit ----

    /**
     * Adds entries to the realm's audit trail, in this order, unsealed (no sequence, no hash) and without any lock:
     * concurrent writers of a realm do not wait for each other. Once the transaction commits the entries are sealed
     * into the realm's hash chain ({@link #sealAudit(RealmModel, List)}) by a short job of its own; the scheduler
     * seals what such a job missed (a crash between commit and seal).
     */
    void appendAudit(RealmModel realm, List<AuditEntry> entries);

    /**
     * Seals the realm's committed pending entries into the chain, in insertion order: locks the chain head until
     * the transaction ends, assigns seq, prevHash and hash. Returns how many were sealed. Call it first thing in a
     * transaction of its own (nothing read the head before).
     */
    int sealAudit(RealmModel realm);

    /** {@link #sealAudit(RealmModel)} for these entries only, those of them still pending: the ones a commit wrote. */
    int sealAudit(RealmModel realm, List<Long> entryIds);

    /**
     * Entries {@code from <= at < to} (either may be null): the sealed ones in sequence order, then the pending ones
     * in insertion order.
     */
    List<AuditEntry> audit(RealmModel realm, Instant from, Instant to, int first, int max);

    /**
     * Sealed entries with {@code afterSeq < seq <= upToSeq} and {@code from <= at < to} (either may be null), in chain
     * order: a long chain read in pages, each page after the last one's sequence number.
     */
    List<AuditEntry> sealedAuditAfter(RealmModel realm, Instant from, Instant to, long afterSeq, long upToSeq, int max);

    /** Entries committed but not yet sealed into the chain. */
    long pendingAuditCount(RealmModel realm);

    /** The chain head: last sequence number and hash, or null before the first entry. */
    AuditEntry auditHead(RealmModel realm);
}
