package dev.treesum.scan;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.treesum.TestTrees;
import dev.treesum.TreesumSpringTest;
import dev.treesum.cli.TreesumCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings a scan's partitions run with, as the database gives them to a scan that
 * starts or resumes.
 */
@TreesumSpringTest
class PartitionRepositoryIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	private Path temp;

	@Test
	void anIncrementalScanCarriesDigestsFromThePreviousScanUnlessItWasPruned() throws Exception {
		Path root = Files.createDirectory(this.temp.resolve("tree")).toRealPath();
		TestTrees.mixedFiles(root, 5, 41);
		TreesumCli cli = new TreesumCli(this.context);
		long first = cli.scan(root.toString());
		long second = cli.scan("--incremental", root.toString());
		PartitionRepository partitions = new PartitionRepository(this.jdbc);
		assertThat(partitions.settings((int) second).carriedFrom()).extracting(ScanSettings.PreviousScan::id)
			.isEqualTo((int) first);

		// As when a stopped incremental scan is restarted after its base was pruned: the
		// base's entries are gone with its partition.
		assertThat(this.jdbc.queryForObject("select treesum_drop_entries(?)", Boolean.class, (int) first)).isTrue();

		assertThat(this.jdbc.queryForObject("select pruned_at is not null from treesum_scan where id = ?",
				Boolean.class, first))
			.isTrue();
		assertThat(partitions.settings((int) second).carriedFrom()).isNull();
	}

}
