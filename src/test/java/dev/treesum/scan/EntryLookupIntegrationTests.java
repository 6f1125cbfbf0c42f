package dev.treesum.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.zaxxer.hikari.HikariDataSource;

import dev.treesum.TreesumSpringTest;
import dev.treesum.cli.TreesumCli;
import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileTreeWalker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an incremental scan learns of a batch of entries, and what it costs the server:
 * each path is found in the dictionary and the previous scan by an index, whatever
 * statistics the planner has, never by reading a whole partition. (With the partitioned
 * tables' missing statistics, the planner once hashed the whole previous scan for every
 * batch, and an unchanged rescan of 300,000 files took six times a full scan.)
 */
@TreesumSpringTest
class EntryLookupIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	private Path tree;

	@Test
	void findsEachPathsNumberAndPreviousRecordByIndex() throws IOException {
		for (int i = 0; i < 3000; i++) {
			Files.writeString(this.tree.resolve("file-" + i), "content " + i);
		}
		long previous = new TreesumCli(this.context).scan(this.tree.toString());
		int seriesId = this.jdbc.queryForObject("select series_id from treesum_scan where id = ?", Integer.class,
				previous);
		Files.writeString(this.tree.resolve("new-file"), "new");
		List<FileEntry> batch = entries();
		EntryLookup lookup = new EntryLookup(this.jdbc, seriesId, (int) previous);

		int[] pathNos = new int[batch.size()];
		PreviousEntry[] found = new PreviousEntry[batch.size()];
		lookup.find(batch, pathNos, found);

		for (int i = 0; i < batch.size(); i++) {
			FileEntry entry = batch.get(i);
			if (entry.path().getFileName().toString().equals("new-file")) {
				assertThat(pathNos[i]).isZero();
				assertThat(found[i]).isNull();
				continue;
			}
			assertThat(pathNos[i])
				.isEqualTo(this.jdbc.queryForObject("select path_no from treesum_file where scan_id = ? and path = ?",
						Integer.class, previous, entry.bytes()));
			assertThat(found[i].size()).isEqualTo(entry.size());
			assertThat(found[i].inode()).isEqualTo(entry.inode());
			assertThat(found[i].mtimeNanos()).isEqualTo(entry.mtimeNanos());
			assertThat(found[i].digest()).hasSize(32);
		}
		String plan = plan(lookup, batch);
		assertThat(plan).contains("Index Scan").doesNotContain("Seq Scan").doesNotContain("Hash Join");
	}

	@Test
	void waitsItsTurnWhenAnotherHoldsThePoolsLastConnectionPastItsTimeout() throws Exception {
		Files.writeString(this.tree.resolve("file"), "content");
		long previous = new TreesumCli(this.context).scan(this.tree.toString());
		int seriesId = this.jdbc.queryForObject("select series_id from treesum_scan where id = ?", Integer.class,
				previous);
		List<FileEntry> batch = entries();
		HikariDataSource shared = this.jdbc.getDataSource().unwrap(HikariDataSource.class);
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl(shared.getJdbcUrl());
			pool.setUsername(shared.getUsername());
			pool.setPassword(shared.getPassword());
			pool.setSchema(shared.getSchema());
			pool.setMaximumPoolSize(1);
			pool.setConnectionTimeout(250);
			EntryLookup lookup = new EntryLookup(new JdbcTemplate(pool), seriesId, (int) previous);
			CountDownLatch held = new CountDownLatch(1);
			Thread other = new Thread(() -> {
				try (Connection connection = pool.getConnection()) {
					held.countDown();
					Thread.sleep(1000);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			other.start();
			held.await();

			int[] pathNos = new int[batch.size()];
			lookup.find(batch, pathNos, new PreviousEntry[batch.size()]);

			other.join();
			assertThat(pathNos).as("found, once the other let go of the connection").doesNotContain(0);
		}
	}

	private List<FileEntry> entries() throws IOException {
		FileTreeWalker walker = new FileTreeWalker(this.tree, List.of(), null);
		List<FileEntry> all = new ArrayList<>();
		for (FileEntry entry = walker.next(); entry != null; entry = walker.next()) {
			all.add(entry);
		}
		if (all.size() < 500) {
			return all;
		}
		// A batch as the reader looks up: 500 entries, the new file among them.
		List<FileEntry> batch = new ArrayList<>(all.subList(0, 499));
		batch.add(all.get(all.size() - 1));
		return batch;
	}

	private String plan(EntryLookup lookup, List<FileEntry> batch) {
		return this.jdbc.execute((ConnectionCallback<String>) (connection) -> {
			try (var statement = connection.prepareStatement("explain (format text) " + lookup.sql())) {
				statement.setArray(1, connection.unwrap(PGConnection.class)
					.createArrayOf("bytea", batch.stream().map(FileEntry::bytes).toArray(byte[][]::new)));
				statement.setInt(2, lookup.previousScanId());
				StringBuilder plan = new StringBuilder();
				try (var rows = statement.executeQuery()) {
					while (rows.next()) {
						plan.append(rows.getString(1)).append('\n');
					}
				}
				return plan.toString();
			}
		});
	}

}
