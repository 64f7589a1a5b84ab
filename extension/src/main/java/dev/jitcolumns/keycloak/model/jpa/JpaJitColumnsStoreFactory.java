package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.events.KeycloakEvents;
import dev.jitcolumns.keycloak.model.AccessService;
import dev.jitcolumns.keycloak.model.CatalogSeeder;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.model.JitColumnsStoreProviderFactory;
import dev.jitcolumns.keycloak.model.PolicyApprovers;
import dev.jitcolumns.keycloak.notify.WebhookAddresses;
import dev.jitcolumns.keycloak.notify.WebhookRetries;
import dev.jitcolumns.keycloak.notify.WebhookSender;
import dev.jitcolumns.keycloak.scheduler.JitColumnsTask;
import dev.jitcolumns.keycloak.token.ApiClientScope;
import dev.jitcolumns.keycloak.token.JitColumnsClientScope;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleContainerModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

/**
 * The JPA adapter of the {@code jit-columns-store} SPI, on Keycloak's own database. On
 * {@link PostMigrationEvent} it seeds catalogs from realm attributes and schedules the maintenance task; it runs the
 * node's {@link WebhookSender}. Options ({@code --spi-jit-columns-store--jpa--<name>}):
 * {@code scheduler-interval-seconds} (default 60), and the webhook's retries, {@link WebhookRetries}.
 */
public final class JpaJitColumnsStoreFactory implements JitColumnsStoreProviderFactory, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "jpa";
    private static final Logger LOG = Logger.getLogger(JpaJitColumnsStoreFactory.class);

    private long intervalSeconds = 60;
    private WebhookRetries webhookRetries;
    private WebhookAddresses webhookAddresses;
    private volatile AuditSealer sealer;
    private volatile WebhookSender webhooks;
    private final CatalogCache catalogs = new CatalogCache();

    @Override
    public JitColumnsStore create(KeycloakSession session) {
        WebhookSender sender = webhooks;
        return new JpaJitColumnsStore(session.getProvider(JpaConnectionProvider.class).getEntityManager(), session, sealer,
                catalogs, sender == null ? null : sender::sendSoon);
    }

    @Override
    public void init(Config.Scope config) {
        String interval = config.get("scheduler-interval-seconds", "60").strip();
        if (!interval.matches("[0-9]{1,5}") || Long.parseLong(interval) < 1 || Long.parseLong(interval) > 86_400) {
            throw new IllegalArgumentException("scheduler-interval-seconds must be whole seconds from 1 to 86400, not '" + interval + "'");
        }
        intervalSeconds = Long.parseLong(interval);
        webhookRetries = WebhookRetries.parse(config.get(WebhookRetries.DELAYS_OPTION, WebhookRetries.DEFAULT_DELAYS),
                config.getLong(WebhookRetries.GIVE_UP_OPTION, WebhookRetries.DEFAULT_GIVE_UP_HOURS));
        webhookAddresses = WebhookAddresses.parse(config.get(WebhookAddresses.OPTION, ""));
    }

    @Override
    public WebhookAddresses webhookAddresses() {
        return webhookAddresses;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        sealer = new AuditSealer(factory);
        webhooks = new WebhookSender(factory, webhookRetries, webhookAddresses, Duration.ofSeconds(intervalSeconds));
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created) {
                prepareRealm(entityManager(created.getKeycloakSession()), created.getCreatedRealm());
            }
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                removed.getKeycloakSession().getProvider(JitColumnsStore.class).removeRealm(removed.getRealm());
            }
            if (event instanceof UserModel.UserRemovedEvent removed && removed.getRealm() != null) {
                KeycloakSession s = removed.getKeycloakSession();
                new AccessService(s, removed.getRealm(), KeycloakEvents.system(s, removed.getRealm()))
                        .endAccessOf(removed.getUser().getId(), "the user was removed");
            }
            if (event instanceof GroupModel.GroupPathChangeEvent moved) {
                new PolicyApprovers(moved.getKeycloakSession(), moved.getRealm())
                        .groupPathChanged(moved.getPreviousPath(), moved.getNewPath());
            }
            if (event instanceof GroupModel.GroupRemovedEvent removed) {
                new PolicyApprovers(removed.getKeycloakSession(), removed.getRealm()).groupRemoved(removed.getGroup());
            }
            if (event instanceof RoleModel.RoleNameChangeEvent renamed && renamed.getClientId() == null) {
                new PolicyApprovers(renamed.getKeycloakSession(), renamed.getRealm())
                        .roleRenamed(renamed.getPreviousName(), renamed.getNewName());
            }
            if (event instanceof RoleContainerModel.RoleRemovedEvent removed
                    && removed.getRole().getContainer() instanceof RealmModel realm) {
                new PolicyApprovers(removed.getKeycloakSession(), realm).roleRemoved(removed.getRole());
            }
            if (event instanceof PostMigrationEvent) {
                prepareOlderRealms(factory);
                seedCatalogs(factory);
                KeycloakModelUtils.runJobInTransaction(factory, session -> {
                    long ms = intervalSeconds * 1000;
                    session.getProvider(TimerProvider.class).schedule(
                            new ClusterAwareScheduledTaskRunner(factory, new JitColumnsTask(factory, webhooks), ms), ms, JitColumnsTask.NAME);
                });
                LOG.infof("jit-columns: maintenance task every %d s", intervalSeconds);
            }
        });
    }

    /** Realms older than the extension (or than these rows) get them here, before any request. */
    private static void prepareOlderRealms(KeycloakSessionFactory factory) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            EntityManager em = entityManager(session);
            session.realms().getRealmsStream()
                    .filter(realm -> em.find(JitAuditHeadEntity.class, realm.getId()) == null
                            || realm.getAttribute(CatalogCache.VERSION_ATTRIBUTE) == null)
                    .forEach(realm -> prepareRealm(em, realm));
        });
    }

    /**
     * The rows that concurrent first writers of a realm would otherwise race to insert: the audit chain head and the
     * catalog version attribute. Created with the realm; later writers only update them.
     */
    private static void prepareRealm(EntityManager em, RealmModel realm) {
        if (em.find(JitAuditHeadEntity.class, realm.getId()) == null) {
            em.persist(JpaAuditTrail.newHead(realm.getId()));
            em.flush(); // before the catalog version's update of the row
        }
        if (realm.getAttribute(CatalogCache.VERSION_ATTRIBUTE) == null) {
            CatalogCache.changed(em, realm);
        }
    }

    private static EntityManager entityManager(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    private static void seedCatalogs(KeycloakSessionFactory factory) {
        List<String> realmIds = KeycloakModelUtils.runJobInTransactionWithResult(factory, s ->
                s.realms().getRealmsStream().filter(r -> r.getAttribute(CatalogSeeder.ATTRIBUTE) != null).map(RealmModel::getId).toList());
        for (String id : realmIds) {
            try {
                KeycloakModelUtils.runJobInTransaction(factory, s -> {
                    RealmModel realm = s.realms().getRealm(id);
                    s.getContext().setRealm(realm);
                    CatalogSeeder.seed(s, realm);
                    JitColumnsClientScope.ensure(realm);
                    ApiClientScope.ensure(realm);
                });
            } catch (RuntimeException e) {
                // A bad catalog attribute must not keep Keycloak from starting; it is reported and left unseeded.
                LOG.errorf(e, "jit-columns: could not seed the catalog of realm %s", id);
            }
        }
    }

    @Override
    public List<org.keycloak.provider.ProviderConfigProperty> getConfigMetadata() {
        return org.keycloak.provider.ProviderConfigurationBuilder.create()
                .property().name("scheduler-interval-seconds").type("int").defaultValue(60)
                .helpText("How often expiry, pending timeouts, escalations and due webhook deliveries are processed (seconds).").add()
                .property().name(WebhookRetries.DELAYS_OPTION).type("string").defaultValue(WebhookRetries.DEFAULT_DELAYS)
                .helpText("Seconds before each retry of a failed webhook delivery, the last one repeated (each 1 to 86400).").add()
                .property().name(WebhookRetries.GIVE_UP_OPTION).type("int").defaultValue(WebhookRetries.DEFAULT_GIVE_UP_HOURS)
                .helpText("Hours after the change when a webhook delivery not yet taken is given up (1 to 168).").add()
                .property().name(WebhookAddresses.OPTION).type("string").defaultValue("")
                .helpText("IP addresses, comma-separated, that a webhook may post to although they are loopback, link-local or "
                        + "private (by default none: a realm manager must not reach Keycloak's own network).").add()
                .build();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", getClass().getPackage().getImplementationVersion() == null ? "dev" : getClass().getPackage().getImplementationVersion());
        info.put("scheduler-interval-seconds", Long.toString(intervalSeconds));
        info.put(WebhookRetries.DELAYS_OPTION, webhookRetries.delaysOption());
        info.put(WebhookRetries.GIVE_UP_OPTION, Long.toString(webhookRetries.giveUpAfter().toHours()));
        info.put(WebhookAddresses.OPTION, webhookAddresses.option());
        return info;
    }

    @Override
    public void close() {
        if (sealer != null) {
            sealer.close();
        }
        if (webhooks != null) {
            webhooks.close();
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
