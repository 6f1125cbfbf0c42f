package dev.treesum.launch;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.treesum.TreesumSpringTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scan that starts while other hosts' chunks are open: creating its partitions must not
 * wait for them, since a chunk that holds the partitioned tables and then waits behind a
 * creator deadlocks with it.
 */
@TreesumSpringTest
class ScanCreationIntegrationTests {

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void aNewSeriesStartsWhileAnotherHostsChunkHoldsThePartitionedTables() throws Exception {
		try (Connection chunk = this.dataSource.getConnection()) {
			chunk.setAutoCommit(false);
			try (Statement statement = chunk.createStatement()) {
				// What a chunk's lookup and writer hold until it commits.
				statement.execute("select count(*) from treesum_path");
				statement.execute("select count(*) from treesum_entry");
				statement.execute("select count(*) from treesum_error");
			}
			String roots = "/creation-" + System.nanoTime();
			CompletableFuture<Integer> created = CompletableFuture.supplyAsync(() -> this.jdbc.queryForObject(
					"select treesum_create_scan('creation-test', ?, ?, 'sha256', '{}', false, 0, false, null)",
					Integer.class, new String[] { roots }, roots));
			assertThat(created.get(10, TimeUnit.SECONDS)).as("the scan, created while the chunk is open").isPositive();
			chunk.commit();
			int scan = created.join();
			assertThat(this.jdbc.queryForObject(
					"select count(*) from pg_inherits where inhrelid in (to_regclass(?), to_regclass(?))",
					Integer.class, "treesum_entry_" + scan, "treesum_error_" + scan))
				.as("its entry and error partitions, attached")
				.isEqualTo(2);
		}
	}

}
