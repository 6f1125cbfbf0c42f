package dev.treesum.scan;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;
import dev.treesum.walk.Lstat;
import dev.treesum.TreesumSpringTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The writer against PostgreSQL: every column of every kind of record arrives exactly,
 * nulls included, and the rows and the totals belong to the chunk's transaction.
 */
@TreesumSpringTest
class FileRecordWriterIntegrationTests {

	private static final String PARTITION = "partition-0";

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private PartitionRepository partitions;

	@Autowired
	private PlatformTransactionManager transactionManager;

	private int scanId;

	private FileRecordWriter writer;

	@BeforeEach
	void createScan() {
		// Each test its own series: a dictionary of paths of its own.
		String roots = "/r-" + System.nanoTime();
		this.scanId = this.jdbc.queryForObject(
				"select treesum_create_scan('writer-test', ?, ?, 'sha256', '{}', false, 0, false, null)", Integer.class,
				new String[] { roots }, roots);
		int seriesId = this.jdbc.queryForObject("select series_id from treesum_scan where id = ?", Integer.class,
				this.scanId);
		this.partitions.add(this.scanId, new MountPartition(0, "/r", "/r".getBytes(StandardCharsets.UTF_8), "/",
				"/".getBytes(StandardCharsets.UTF_8), "8:1", "ext4", "/dev/sda1", "sda", false, 1, false));
		this.writer = new FileRecordWriter(this.jdbc, this.scanId, seriesId, 0, new PathNumbers(0),
				new EntryShapes(this.jdbc));
	}

	@Test
	void storesEveryColumnOfEveryKindOfRecordExactly() {
		byte[] digest = HexFormat.of().parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
		byte[] latin1 = bytes("/r/caf", (byte) 0xe9, ".txt");
		byte[] utf8 = "/r/naïve ✓".getBytes(StandardCharsets.UTF_8);
		List<FileRecord> records = List.of(read(entry("/r/plain.bin", FileKind.FILE, 4096, null), digest),
				read(entry(latin1, FileKind.FILE, 0, null), digest), read(entry(utf8, FileKind.FILE, 1, null), digest),
				FileRecord.unread(entry("/r/link", FileKind.SYMLINK, 7, bytes("../t", (byte) 0xff, "")), 0),
				new FileRecord(entry("/r/grown", FileKind.FILE, 10, null), 0, null, FileStatus.CHANGED_DURING_READ,
						"listed with 10 bytes, read 12, now 12", 12, -1, false),
				FileRecord.unread(FileEntry.failed(Path.of("/r/secret"), "/r/secret".getBytes(StandardCharsets.UTF_8),
						"secret".getBytes(StandardCharsets.UTF_8), FileKind.UNKNOWN, null, FileStatus.UNREADABLE,
						"Permission denied: déjà vu"), 0));

		inTransaction(() -> this.writer.write(new Chunk<>(records)));

		List<Map<String, Object>> rows = this.jdbc
			.queryForList("select * from treesum_file where scan_id = ? " + "order by path_text", this.scanId);
		assertThat(rows).hasSize(6);
		Map<String, Object> plain = row(rows, "/r/plain.bin");
		assertThat(plain).containsEntry("partition_name", PARTITION)
			.containsEntry("kind", "file")
			.containsEntry("status", "ok")
			.containsEntry("size", 4096L)
			.containsEntry("mtime_ns", 1_700_000_000_123_456_789L)
			.containsEntry("ctime_ns", -5L)
			.containsEntry("inode", Long.MAX_VALUE)
			.containsEntry("device", "8:1")
			.containsEntry("links", 3)
			.containsEntry("mode", 0100644)
			.containsEntry("uid", 4294967294L)
			.containsEntry("gid", 100L)
			.containsEntry("link_target", null)
			.containsEntry("error", null)
			.containsEntry("carried_over", false)
			.containsEntry("verified_age", 0)
			.containsEntry("verified_scan", this.scanId);
		assertThat((byte[]) plain.get("path")).isEqualTo("/r/plain.bin".getBytes(StandardCharsets.UTF_8));
		assertThat((byte[]) plain.get("digest")).isEqualTo(digest);
		Map<String, Object> odd = row(rows, "/r/caf\\xe9.txt");
		assertThat((byte[]) odd.get("path")).isEqualTo(latin1);
		assertThat(odd).containsEntry("size", 0L);
		assertThat((byte[]) row(rows, "/r/naïve ✓").get("path")).isEqualTo(utf8);
		Map<String, Object> link = row(rows, "/r/link");
		assertThat(link).containsEntry("kind", "symlink").containsEntry("digest", null);
		assertThat((byte[]) link.get("link_target")).isEqualTo(bytes("../t", (byte) 0xff, ""));
		assertThat(row(rows, "/r/grown")).containsEntry("status", "changed-during-read")
			.containsEntry("digest", null)
			.containsEntry("size", 10L)
			.containsEntry("error", "listed with 10 bytes, read 12, now 12");
		assertThat(row(rows, "/r/secret")).containsEntry("kind", "unknown")
			.containsEntry("status", "unreadable")
			.containsEntry("size", null)
			.containsEntry("mtime_ns", null)
			.containsEntry("ctime_ns", null)
			.containsEntry("inode", null)
			.containsEntry("device", "8:1")
			.containsEntry("links", null)
			.containsEntry("mode", null)
			.containsEntry("verified_age", null)
			.containsEntry("digest", null)
			.containsEntry("error", "Permission denied: déjà vu");
		assertThat(this.jdbc.queryForMap("select files, bytes, errors from treesum_partition where scan_id = ?",
				this.scanId))
			.containsEntry("files", 6L)
			.containsEntry("bytes", 4096L + 0 + 1 + 10)
			.containsEntry("errors", 2L);
	}

	@Test
	void storesChunksLargerThanTheBufferOneAfterAnother() {
		String longName = "/r/" + "x".repeat(200) + "/";
		List<FileRecord> first = new ArrayList<>();
		List<FileRecord> second = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			FileEntry entry = entry(longName + i, FileKind.FILE, i, null);
			((i % 2 == 0) ? first : second).add(read(entry, new byte[32]));
		}

		inTransaction(() -> this.writer.write(new Chunk<>(first)));
		inTransaction(() -> this.writer.write(new Chunk<>(second)));

		assertThat(this.jdbc.queryForObject(
				"select count(*) from treesum_file where scan_id = ? and path_text like ? and digest is not null",
				Long.class, this.scanId, longName + "%"))
			.isEqualTo(2000);
		assertThat(this.jdbc.queryForObject("select sum(size) from treesum_file where scan_id = ?", Long.class,
				this.scanId))
			.isEqualTo(1999L * 2000 / 2);
	}

	@Test
	void rowsAndTotalsRollBackWithTheChunk() {
		List<FileRecord> records = List.of(read(entry("/r/a", FileKind.FILE, 5, null), new byte[32]));

		new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> {
			this.writer.write(new Chunk<>(records));
			status.setRollbackOnly();
		});

		assertThat(this.jdbc.queryForObject("select count(*) from treesum_file where scan_id = ?", Long.class,
				this.scanId))
			.isZero();
		assertThat(this.jdbc.queryForObject("select files from treesum_partition where scan_id = ?", Long.class,
				this.scanId))
			.isZero();
	}

	@Test
	void aPathStoredTwiceFailsTheChunkWithADataAccessException() {
		List<FileRecord> records = List.of(read(entry("/r/same", FileKind.FILE, 1, null), new byte[32]),
				read(entry("/r/same", FileKind.FILE, 1, null), new byte[32]));

		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> inTransaction(() -> this.writer.write(new Chunk<>(records))));
		assertThat(this.jdbc.queryForObject("select count(*) from treesum_file where scan_id = ?", Long.class,
				this.scanId))
			.isZero();
	}

	private void inTransaction(Runnable work) {
		new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> work.run());
	}

	private static Map<String, Object> row(List<Map<String, Object>> rows, String pathText) {
		return rows.stream()
			.filter((row) -> pathText.equals(row.get("path_text")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no row " + pathText + " in " + rows));
	}

	private static FileEntry entry(String path, FileKind kind, long size, byte[] target) {
		return entry(path.getBytes(StandardCharsets.UTF_8), kind, size, target);
	}

	private static FileEntry entry(byte[] path, FileKind kind, long size, byte[] target) {
		byte[] relative = Arrays.copyOfRange(path, 3, path.length);
		int type = (kind == FileKind.SYMLINK) ? 0120000 : 0100000;
		Lstat stat = new Lstat(type | 0644, Long.MAX_VALUE, 66307L, 3, 4294967294L, 100L, size,
				1_700_000_000_123_456_789L, -5L);
		return new FileEntry(Path.of("/r/unused"), path, relative, kind, stat, target, FileStatus.OK, null);
	}

	/**
	 * Return the record of a regular file read whole now.
	 */
	private static FileRecord read(FileEntry entry, byte[] digest) {
		return new FileRecord(entry, 0, digest, FileStatus.OK, null, entry.size(), 0, false);
	}

	private static byte[] bytes(String before, byte odd, String after) {
		byte[] head = before.getBytes(StandardCharsets.UTF_8);
		byte[] tail = after.getBytes(StandardCharsets.UTF_8);
		byte[] all = Arrays.copyOf(head, head.length + 1 + tail.length);
		all[head.length] = odd;
		System.arraycopy(tail, 0, all, head.length + 1, tail.length);
		return all;
	}

}
