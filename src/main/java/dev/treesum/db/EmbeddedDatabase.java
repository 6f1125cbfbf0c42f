package dev.treesum.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server of treesum's own, on a data directory that outlives the process.
 */
public final class EmbeddedDatabase implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedDatabase.class);

	static final String USER = "postgres";

	static final String DATABASE = "postgres";

	private final EmbeddedPostgres postgres;

	private final Path dataDirectory;

	private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
		this.postgres = postgres;
		this.dataDirectory = dataDirectory;
	}

	/**
	 * Start the server, creating the data directory on first use.
	 * @param dataDirectory where the data lives
	 * @return the running server
	 * @throws DatabaseUnavailableException if it cannot start, saying why
	 */
	public static EmbeddedDatabase start(Path dataDirectory) {
		try {
			Files.createDirectories(dataDirectory);
			boolean created = !Files.exists(dataDirectory.resolve("postgresql.conf"));
			if (created) {
				logger.info("Creating the embedded database in {}", dataDirectory);
			}
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.start();
			return new EmbeddedDatabase(postgres, dataDirectory);
		}
		catch (IOException | RuntimeException ex) {
			throw new DatabaseUnavailableException("cannot start the embedded PostgreSQL in " + dataDirectory + ": "
					+ rootMessage(ex) + " (set SPRING_DATASOURCE_URL to use another server)", ex);
		}
	}

	/**
	 * Return the JDBC URL of the server's database.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.postgres.getPort() + "/" + DATABASE
				+ "?reWriteBatchedInserts=true&ApplicationName=treesum";
	}

	/**
	 * Return a connection string for {@code psql}.
	 * @return the URI
	 */
	public String psqlUri() {
		return "postgresql://" + USER + "@localhost:" + this.postgres.getPort() + "/" + DATABASE;
	}

	public Path dataDirectory() {
		return this.dataDirectory;
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

}
