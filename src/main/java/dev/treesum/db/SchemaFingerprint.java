package dev.treesum.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Migrates only a schema that this build's migrations did not make. Once Flyway has
 * migrated a schema, the schema's comment records a digest of the migrations it ran; a
 * later command whose migrations have the same digest checks that one comment instead of
 * having Flyway read every migration and the schema history again, which took a third of
 * a second of every command's start.
 */
@Component
class SchemaFingerprint implements FlywayMigrationStrategy {

	private static final Logger logger = LoggerFactory.getLogger(SchemaFingerprint.class);

	/**
	 * What the comment starts with, so that a comment of another's is never taken for
	 * one.
	 */
	static final String PREFIX = "treesum migrations ";

	private static final String READ = "select obj_description(to_regnamespace(?), 'pg_namespace')";

	@Override
	public void migrate(Flyway flyway) {
		Configuration configuration = flyway.getConfiguration();
		String schema = configuration.getDefaultSchema();
		String fingerprint = (schema != null) ? fingerprint(configuration.getLocations()) : null;
		if (fingerprint != null && fingerprint.equals(read(configuration.getDataSource(), schema))) {
			return;
		}
		flyway.migrate();
		if (fingerprint != null) {
			write(configuration.getDataSource(), schema, fingerprint);
		}
	}

	/**
	 * Return the comment a schema migrated by these migrations carries: a digest of their
	 * names and contents, or {@code null} when they are not all on the class path.
	 * @param locations where Flyway finds the migrations
	 * @return the comment, or {@code null}
	 */
	static String fingerprint(Location[] locations) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
			for (Location location : locations) {
				if (!location.isClassPath()) {
					return null;
				}
				Resource[] resources = resolver.getResources("classpath*:" + location.getPath() + "/**/*.sql");
				Arrays.sort(resources, Comparator.comparing(Resource::getFilename));
				for (Resource resource : resources) {
					digest.update(resource.getFilename().getBytes(StandardCharsets.UTF_8));
					digest.update((byte) 0);
					try (InputStream content = resource.getInputStream()) {
						digest.update(content.readAllBytes());
					}
					digest.update((byte) 0);
				}
			}
			return PREFIX + HexFormat.of().formatHex(digest.digest());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the migrations", ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String read(DataSource dataSource, String schema) {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(READ)) {
			statement.setString(1, quoted(schema));
			try (ResultSet rows = statement.executeQuery()) {
				return rows.next() ? rows.getString(1) : null;
			}
		}
		catch (SQLException ex) {
			// Flyway will say what is wrong with the database.
			return null;
		}
	}

	/**
	 * Record the fingerprint. The comment is a statement of the schema's owner: a role
	 * that migrates without owning the schema leaves it out, and Flyway checks the
	 * migrations every time.
	 */
	private static void write(DataSource dataSource, String schema, String fingerprint) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			// A comment takes no parameters; the fingerprint is hex digits of our own.
			statement.execute("comment on schema " + quoted(schema) + " is '" + fingerprint + "'");
		}
		catch (SQLException ex) {
			logger.debug("The schema's migrations stay unrecorded: {}", ex.getMessage());
		}
	}

	private static String quoted(String identifier) {
		return '"' + identifier.replace("\"", "\"\"") + '"';
	}

}
