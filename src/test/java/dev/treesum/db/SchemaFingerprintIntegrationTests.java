package dev.treesum.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.treesum.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.AfterEach;
import org.postgresql.Driver;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flyway runs when a schema's migrations may differ from the build's, and only then: a
 * schema the build migrated is recognised by its comment, a changed migration or a schema
 * someone else commented is migrated again. Against the real migrations, in a schema of
 * the test's own.
 */
class SchemaFingerprintIntegrationTests {

	private static final String SCHEMA = "fingerprint_test";

	private final JdbcTemplate jdbc = new JdbcTemplate(new SimpleDriverDataSource(new Driver(), TestDatabase.url()));

	private final List<Event> events = new ArrayList<>();

	@AfterEach
	void dropTheSchema() {
		this.jdbc.execute("drop schema if exists " + SCHEMA + " cascade");
	}

	@Test
	void migratesANewSchemaAndRecordsItsMigrations() {
		new SchemaFingerprint().migrate(flyway("classpath:db/migration"));

		assertThat(this.events).contains(Event.BEFORE_MIGRATE);
		assertThat(tables()).contains("treesum_entry", "treesum_path", "batch_job_instance");
		assertThat(comment())
			.isEqualTo(
					SchemaFingerprint.fingerprint(flyway("classpath:db/migration").getConfiguration().getLocations()))
			.startsWith(SchemaFingerprint.PREFIX);
	}

	@Test
	void leavesFlywayAloneWhenTheSchemaHasTheBuildsMigrations() {
		new SchemaFingerprint().migrate(flyway("classpath:db/migration"));
		this.events.clear();

		new SchemaFingerprint().migrate(flyway("classpath:db/migration"));

		assertThat(this.events).as("Flyway neither validated nor migrated").isEmpty();
	}

	@Test
	void migratesASchemaWhoseCommentIsNotTheBuilds() {
		new SchemaFingerprint().migrate(flyway("classpath:db/migration"));
		String recorded = comment();
		this.jdbc.execute("comment on schema " + SCHEMA + " is 'a note of the operator''s'");
		this.events.clear();

		new SchemaFingerprint().migrate(flyway("classpath:db/migration"));

		assertThat(this.events).contains(Event.BEFORE_MIGRATE);
		assertThat(comment()).isEqualTo(recorded);
	}

	@Test
	void migratesAgainWhenAMigrationChanged() throws Exception {
		// A copy of the migrations on the class path, which the test then changes.
		String location = "classpath:fingerprint/db/migration";
		Path onClassPath = Files.createDirectories(Path.of("target/test-classes/fingerprint/db"));
		copy(Path.of("db/migration"), onClassPath.resolve("migration"));
		try {
			new SchemaFingerprint().migrate(flyway(location));
			String before = comment();
			Files.writeString(onClassPath.resolve("migration/R__treesum_views.sql"),
					"\ncreate or replace view fingerprint_probe as select 1 as one;\n", StandardOpenOption.APPEND);
			this.events.clear();

			new SchemaFingerprint().migrate(flyway(location));

			assertThat(this.events).contains(Event.BEFORE_MIGRATE);
			assertThat(tables()).contains("fingerprint_probe");
			assertThat(comment()).isNotEqualTo(before).startsWith(SchemaFingerprint.PREFIX);
		}
		finally {
			delete(Path.of("target/test-classes/fingerprint"));
		}
	}

	private Flyway flyway(String location) {
		return Flyway.configure()
			.dataSource(TestDatabase.url(), "postgres", "")
			.schemas(SCHEMA)
			.defaultSchema(SCHEMA)
			.locations(location)
			.group(true)
			.callbacks(new Recorder())
			.load();
	}

	private List<String> tables() {
		return this.jdbc.queryForList(
				"select table_name::text from information_schema.tables where table_schema = ? order by 1",
				String.class, SCHEMA);
	}

	private String comment() {
		return this.jdbc.queryForObject("select obj_description(to_regnamespace(?), 'pg_namespace')", String.class,
				SCHEMA);
	}

	private static void copy(Path from, Path to) throws Exception {
		Files.createDirectories(to);
		try (var files = Files.list(from)) {
			for (Path file : files.toList()) {
				Files.copy(file, to.resolve(file.getFileName()));
			}
		}
	}

	private static void delete(Path path) throws Exception {
		if (!Files.exists(path)) {
			return;
		}
		try (var files = Files.walk(path)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

	/**
	 * Records what Flyway did.
	 */
	private final class Recorder implements Callback {

		@Override
		public boolean supports(Event event, Context context) {
			return event == Event.BEFORE_MIGRATE || event == Event.BEFORE_VALIDATE;
		}

		@Override
		public boolean canHandleInTransaction(Event event, Context context) {
			return true;
		}

		@Override
		public void handle(Event event, Context context) {
			SchemaFingerprintIntegrationTests.this.events.add(event);
		}

		@Override
		public String getCallbackName() {
			return "recorder";
		}

	}

}
