package dev.jitcolumns.agent;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agent: at each interval, reads the realm's JWKS and revocation feed once and applies them to every database.
 * Keycloak never connects to the databases; the agent pulls. A failed run (Keycloak or a database unreachable) is
 * logged and the next run tries again; a database that fails does not hold the others back.
 */
public final class Agent implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Agent.class.getName());

    /** What a run did to one database, or why it failed. */
    public record Outcome(String jdbcUrl, boolean jwksLoaded, int revoked, boolean purged, String error) {
    }

    private final AgentSettings settings;
    private final KeycloakFeed feed;
    private final List<DatabaseSync> databases;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jit-columns-agent");
        t.setDaemon(true);
        return t;
    });

    public Agent(AgentSettings settings) {
        this.settings = settings;
        this.feed = new KeycloakFeed(settings);
        this.databases = settings.databases().stream().map(d -> new DatabaseSync(d, settings.purgeEvery())).toList();
    }

    /** One run now. Throws when Keycloak cannot be read; a database's failure is in its outcome. */
    public synchronized List<Outcome> syncOnce() throws IOException, InterruptedException {
        String jwks = feed.jwks();
        List<String> revoked = feed.revokedGrants();
        List<Outcome> outcomes = new ArrayList<>();
        for (DatabaseSync db : databases) {
            try {
                DatabaseSync.Applied a = db.apply(jwks, revoked);
                outcomes.add(new Outcome(db.jdbcUrl(), a.jwksLoaded(), a.revoked(), a.purged(), null));
            } catch (SQLException e) {
                outcomes.add(new Outcome(db.jdbcUrl(), false, 0, false, e.getMessage()));
            }
        }
        return outcomes;
    }

    /** Runs {@link #syncOnce()} now and then at every interval, until {@link #close()}. */
    public Agent start() {
        long every = settings.interval().toMillis();
        timer.scheduleWithFixedDelay(this::runLogged, 0, every, TimeUnit.MILLISECONDS);
        return this;
    }

    private void runLogged() {
        try {
            for (Outcome o : syncOnce()) {
                if (o.error() != null) {
                    LOG.log(System.Logger.Level.WARNING, "jit-columns agent: {0}: {1}", o.jdbcUrl(), o.error());
                } else if (o.jwksLoaded() || o.revoked() > 0) {
                    LOG.log(System.Logger.Level.INFO, "jit-columns agent: {0}: JWKS loaded: {1}, grants revoked: {2}",
                            o.jdbcUrl(), o.jwksLoaded(), o.revoked());
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "jit-columns agent: reading Keycloak failed: {0}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "jit-columns agent: run failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0) {
            System.out.print(AgentSettings.USAGE);
            System.exit(args[0].equals("--help") ? 0 : 2);
        }
        AgentSettings settings;
        try {
            settings = AgentSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(AgentSettings.USAGE);
            System.exit(2);
            return;
        }
        new Agent(settings).start();
        Thread.currentThread().join();
    }
}
