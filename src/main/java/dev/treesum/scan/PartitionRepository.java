package dev.treesum.scan;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.treesum.hash.HashAlgorithm;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What the scan job reads and writes besides its file rows: the scan's settings, its
 * partitions, and the scan an incremental one takes digests from.
 */
@Repository
class PartitionRepository {

	private final JdbcTemplate jdbc;

	PartitionRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	ScanSettings settings(long scanId) {
		return this.jdbc.queryForObject(
				"select id, host, roots, algorithm, excludes, all_mounts, io_concurrency, incremental from treesum_scan "
						+ "where id = ?",
				(rs, row) -> new ScanSettings(rs.getLong("id"), rs.getString("host"), strings(rs.getArray("roots")),
						HashAlgorithm.of(rs.getString("algorithm")), strings(rs.getArray("excludes")),
						rs.getBoolean("all_mounts"), rs.getInt("io_concurrency"), rs.getBoolean("incremental")),
				scanId);
	}

	void attachJobInstance(long scanId, long jobInstanceId) {
		this.jdbc.update("update treesum_scan set job_instance_id = ? where id = ? and job_instance_id is null",
				jobInstanceId, scanId);
	}

	void add(long scanId, MountPartition partition) {
		this.jdbc.update(
				"insert into treesum_partition (scan_id, name, root, mountpoint, device, fs_type, source, disk, "
						+ "io_concurrency) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
				scanId, partition.name(), partition.root(), partition.mountPoint(), partition.device(),
				partition.fsType(), partition.source(), partition.disk(), partition.ioConcurrency());
	}

	List<String> names(long scanId) {
		return this.jdbc.queryForList(
				"select name from treesum_partition where scan_id = ? order by length(name), name", String.class,
				scanId);
	}

	/**
	 * Return the scan whose digests an incremental scan may carry over: the previous
	 * completed scan of the same roots and host, with the same algorithm.
	 */
	Optional<Long> previousWithSameAlgorithm(long scanId) {
		return this.jdbc
			.queryForList(
					"select p.id from treesum_scan p join treesum_scan s on s.id = ? "
							+ "where p.id = treesum_previous_scan(s.id) and p.algorithm = s.algorithm",
					Long.class, scanId)
			.stream()
			.findFirst();
	}

	private static List<String> strings(Array array) throws SQLException {
		return Arrays.asList((String[]) array.getArray());
	}

}
