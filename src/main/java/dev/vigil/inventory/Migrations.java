package dev.vigil.inventory;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to Vigil's schema: the plain SQL migrations in {@code classpath:db/migration}
 * (V1__schema.sql, ...) applied in order by Flyway. Applying twice changes nothing the second time;
 * a database whose applied migrations differ from the shipped ones (an edited V1, say) is refused
 * by Flyway's validation with a {@code FlywayException} naming the version.
 */
public final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** Where the migrations live on the classpath. */
    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {}

    /** Applies pending migrations through the data source; blocks until done. */
    public static void apply(DataSource dataSource) {
        migrate(Flyway.configure().dataSource(dataSource));
    }

    /** Applies pending migrations to the database at the JDBC URL; blocks until done. */
    public static void apply(String jdbcUrl, String user, String password) {
        migrate(Flyway.configure().dataSource(jdbcUrl, user, password));
    }

    private static void migrate(org.flywaydb.core.api.configuration.FluentConfiguration config) {
        MigrateResult result =
                config.locations(LOCATION)
                        .failOnMissingLocations(true)
                        .validateMigrationNaming(true)
                        .cleanDisabled(true)
                        .load()
                        .migrate();
        if (result.migrationsExecuted == 0) {
            log.info("schema up to date, no migration pending");
        } else {
            log.info(
                    "schema migrated to version {} ({} migrations applied)",
                    result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }
}
