package dev.jitcolumns.it.harness;

import dev.jitcolumns.launcher.Postgres;
import org.testcontainers.containers.PostgreSQLContainer;

/** {@code -Dit.postgres=container}: PostgreSQL in Docker through Testcontainers, for machines with Docker. */
final class ContainerPostgres implements Postgres {

    private final PostgreSQLContainer<?> container;

    ContainerPostgres() {
        container = new PostgreSQLContainer<>("postgres:17-alpine");
        container.start();
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/" + database;
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public void close() {
        container.stop();
    }
}
