/**
 * The PostgreSQL plugin of Unplug: {@code postgresql://} sessions on pgjdbc, and adoption of pgjdbc connections.
 */
module dev.unplug.postgres {
    requires transitive dev.unplug.api;
    requires java.sql;
    requires org.postgresql.jdbc;
    requires static com.google.auto.service;

    exports dev.unplug.postgres;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.postgres.PostgresProvider;
}
