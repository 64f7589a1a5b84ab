package dev.jitcolumns.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Development aid: an embedded PostgreSQL on 127.0.0.1:{port} until killed (user postgres, trust). */
public final class DevServer {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 55432;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("fsync", "off").start()) {
            System.out.println("READY port " + pg.getPort());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
