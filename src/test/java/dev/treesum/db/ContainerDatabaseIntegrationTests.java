package dev.treesum.db;

import java.nio.file.Path;

import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * treesum against a PostgreSQL server of its own, as in production: a container where a
 * Docker engine runs, skipped where none does.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerDatabaseIntegrationTests {

	@Container
	private static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");

	@TempDir
	private Path temp;

	@Test
	void scansIntoAnExternalServerNamedByTheEnvironment() throws Exception {
		TestTrees.mixedFiles(this.temp, 40, 11);

		TreesumProcess.Result scan = TreesumProcess.embedded(this.temp.resolve("home"), "scan", this.temp.toString())
			.env("SPRING_DATASOURCE_URL", postgres.getJdbcUrl())
			.env("SPRING_DATASOURCE_USERNAME", postgres.getUsername())
			.env("SPRING_DATASOURCE_PASSWORD", postgres.getPassword())
			.run();

		assertThat(scan.exitCode()).as(scan.toString()).isZero();
		assertThat(scan.out()).contains("40 files");
		assertThat(this.temp.resolve("home/pgdata")).as("no embedded server was started").doesNotExist();
	}

}
