package dev.treesum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

import dev.treesum.db.EmbeddedDatabase;

/**
 * One real PostgreSQL server for the whole test JVM, on a fresh data directory: the
 * embedded one unless {@code TREESUM_TEST_DATABASE_URL} names another server. Tests give
 * its URL to the application as {@code spring.datasource.url}, and to child JVMs as
 * {@code SPRING_DATASOURCE_URL}.
 */
public final class TestDatabase {

	private static volatile String url;

	private TestDatabase() {
	}

	public static synchronized String url() {
		if (url == null) {
			String external = System.getenv("TREESUM_TEST_DATABASE_URL");
			String server = (external != null && !external.isBlank()) ? external : startEmbedded();
			// The tests' own connections look in treesum's schema, as the application's
			// do.
			url = server.contains("currentSchema=") ? server
					: server + (server.contains("?") ? "&" : "?") + "currentSchema=treesum";
		}
		return url;
	}

	private static String startEmbedded() {
		try {
			Path home = Files.createTempDirectory("treesum-test-db");
			EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("pgdata"));
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					database.close();
					// Each test JVM gets a fresh server; leave no data directory behind.
					try (var files = Files.walk(home)) {
						files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
					}
				}
				catch (IOException ex) {
					// the JVM is going away
				}
			}));
			return database.jdbcUrl();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
