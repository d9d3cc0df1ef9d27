package org.dotmac.integrations.core;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The gateway's own tables (idempotency keys, search write order): an H2 database in the data dir by
 * default, or the database {@code idempotency.jdbc-url} names (PostgreSQL) when instances share them.
 * The pool is opened on the first use, not at start-up: most requests need no table at all. Each store
 * names the statements that create its tables; they run once, when the pool opens.
 */
public final class GatewayDatabase implements AutoCloseable {

    private final HikariConfig config;
    private final List<String> schema = new ArrayList<>();
    private volatile HikariDataSource dataSource;

    public GatewayDatabase(HikariConfig config) {
        this.config = config;
    }

    public static GatewayDatabase create(Settings settings, Path dataDir) {
        HikariConfig config = new HikariConfig();
        String url = settings.get("idempotency.jdbc-url").orElse("");
        if (url.isBlank()) {
            config.setJdbcUrl(h2Url(dataDir));
            config.setMaximumPoolSize(4);
        } else {
            config.setJdbcUrl(url);
            settings.get("idempotency.jdbc-username").ifPresent(config::setUsername);
            settings.get("idempotency.jdbc-password").ifPresent(config::setPassword);
            config.setMaximumPoolSize(settings.getInt("idempotency.jdbc-pool-size", 8));
        }
        config.setPoolName("gateway-db");
        // a database that is away fails a claim within seconds (the request is then retried and parked)
        // instead of holding a consumer for Hikari's default 30 s
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(settings.getLong("idempotency.jdbc-connect-timeout", 5000));
        return new GatewayDatabase(config);
    }

    /**
     * The embedded database under the data dir. A writer waits up to 10 s for another's row lock (H2's
     * default is 1 s), as long as a search write to the same document may hold it.
     */
    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("idempotency").resolve("keys").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    }

    /** Statements run once when the pool opens (CREATE TABLE IF NOT EXISTS ...), in the order given. */
    public synchronized GatewayDatabase schema(String... statements) {
        if (dataSource != null) {
            throw new IllegalStateException("the schema is set before the database is first used");
        }
        schema.addAll(List.of(statements));
        return this;
    }

    public Connection connection() throws SQLException {
        HikariDataSource current = dataSource;
        if (current == null) {
            synchronized (this) {
                current = dataSource;
                if (current == null) {
                    current = new HikariDataSource(config);
                    try (Connection connection = current.getConnection(); Statement statement = connection.createStatement()) {
                        for (String ddl : schema) {
                            statement.execute(ddl);
                        }
                    } catch (SQLException | RuntimeException e) {
                        current.close();
                        throw e;
                    }
                    dataSource = current;
                }
            }
        }
        return current.getConnection();
    }

    @Override
    public synchronized void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
