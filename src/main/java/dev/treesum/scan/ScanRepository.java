package dev.treesum.scan;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * Reads and writes treesum's scan and partition tables.
 */
@Repository
public class ScanRepository {

	private static final String STATUS_COLUMNS = "scan_id, host, roots, algorithm, state, attempts, partitions, "
			+ "partitions_done, files, bytes, errors, started_at, ended_at, owner_machine, owner_boot_id, owner_pid, "
			+ "owner_started_at, heartbeat_at";

	private final JdbcTemplate jdbc;

	ScanRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	long create(ScanRequest request, List<String> roots) {
		return this.jdbc.queryForObject(
				"insert into treesum_scan (host, roots, roots_key, algorithm, excludes, all_mounts, io_concurrency, "
						+ "incremental) values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
				Long.class, request.host(), roots.toArray(String[]::new), rootsKey(roots), request.algorithm().id(),
				request.excludes().toArray(String[]::new), request.allMounts(), request.ioConcurrency(),
				request.incremental());
	}

	/**
	 * Return the key that scans of the same set of roots share, whatever their order.
	 */
	static String rootsKey(List<String> roots) {
		return String.join("\n", roots.stream().sorted().toList());
	}

	/**
	 * Return the newest scan of a host's set of roots.
	 */
	Optional<ScanStatus> latest(String host, List<String> roots) {
		return this.jdbc
			.query("select " + STATUS_COLUMNS + " from treesum_scan_status where host = ? and roots_key = ? "
					+ "order by scan_id desc limit 1", STATUS_MAPPER, host, rootsKey(roots))
			.stream()
			.findFirst();
	}

	/**
	 * Record that this process now runs the scan, with a first heartbeat.
	 */
	void claim(long scanId, ScanOwner owner) {
		this.jdbc.update(
				"update treesum_scan set owner_machine = ?, owner_boot_id = ?, owner_pid = ?, owner_started_at = ?, "
						+ "heartbeat_at = now() where id = ?",
				owner.machine(), owner.bootId(), owner.pid(), Timestamp.from(owner.startedAt()), scanId);
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

	void heartbeat(long scanId) {
		this.jdbc.update("update treesum_scan set heartbeat_at = now() where id = ?", scanId);
	}

	ScanSettings settings(long id) {
		return this.jdbc.queryForObject(
				"select id, host, roots, algorithm, excludes, all_mounts, io_concurrency, incremental from treesum_scan "
						+ "where id = ?",
				(rs, row) -> new ScanSettings(rs.getLong("id"), rs.getString("host"), strings(rs.getArray("roots")),
						rs.getString("algorithm"), strings(rs.getArray("excludes")), rs.getBoolean("all_mounts"),
						rs.getInt("io_concurrency"), rs.getBoolean("incremental")),
				id);
	}

	void attachJobInstance(long scanId, long jobInstanceId) {
		this.jdbc.update("update treesum_scan set job_instance_id = ? where id = ? and job_instance_id is null",
				jobInstanceId, scanId);
	}

	void addPartition(long scanId, String name, ExecutionContext partition) {
		this.jdbc.update(
				"insert into treesum_partition (scan_id, name, root, mountpoint, device, fs_type, source, disk, "
						+ "io_concurrency) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
				scanId, name, partition.getString(MountPartitioner.ROOT_KEY),
				partition.getString(MountPartitioner.MOUNTPOINT_KEY), partition.getString(MountPartitioner.DEVICE_KEY),
				partition.getString(MountPartitioner.FS_TYPE_KEY), partition.getString(MountPartitioner.SOURCE_KEY),
				partition.getString(MountPartitioner.DISK_KEY), partition.getInt(MountPartitioner.IO_CONCURRENCY_KEY));
	}

	List<String> partitionNames(long scanId) {
		return this.jdbc.queryForList(
				"select name from treesum_partition where scan_id = ? order by length(name), name", String.class,
				scanId);
	}

	/**
	 * Return a scan's partitions, as the {@code treesum_partition_status} view shows
	 * them.
	 * @param scanId the scan
	 * @return its partitions in name order
	 */
	public List<PartitionStatus> partitions(long scanId) {
		return this.jdbc.query("select name, root, mountpoint, device, fs_type, disk, io_concurrency, state, files, "
				+ "bytes, errors, seconds from treesum_partition_status where scan_id = ? order by length(name), name",
				(rs, row) -> new PartitionStatus(rs.getString("name"), rs.getString("root"), rs.getString("mountpoint"),
						rs.getString("device"), rs.getString("fs_type"), rs.getString("disk"),
						rs.getInt("io_concurrency"), rs.getString("state"), rs.getLong("files"), rs.getLong("bytes"),
						rs.getLong("errors"), rs.getDouble("seconds")),
				scanId);
	}

	/**
	 * Return a scan's status.
	 * @param id the scan id
	 * @return its status, or empty if there is no such scan
	 */
	public Optional<ScanStatus> status(long id) {
		return this.jdbc
			.query("select " + STATUS_COLUMNS + " from treesum_scan_status where scan_id = ?", STATUS_MAPPER, id)
			.stream()
			.findFirst();
	}

	/**
	 * Return the most recent scans, newest first.
	 * @param limit how many at most
	 * @return their statuses
	 */
	public List<ScanStatus> recent(int limit) {
		return this.jdbc.query("select " + STATUS_COLUMNS + " from treesum_scan_status order by scan_id desc limit ?",
				STATUS_MAPPER, limit);
	}

	/**
	 * Return the completed scans whose file rows {@code prune} drops: all but the newest
	 * {@code keep} completed scans of each host's set of roots, oldest first.
	 * @param keep how many to keep
	 * @return the scan ids
	 */
	public List<Long> prunable(int keep) {
		return this.jdbc.queryForList("select scan_id from (select scan_id, row_number() over (partition by host, "
				+ "roots_key order by scan_id desc) as newer from treesum_scan_status where state = 'COMPLETED') s "
				+ "where newer > ? and exists (select 1 from treesum_file f where f.scan_id = s.scan_id) "
				+ "order by scan_id", Long.class, keep);
	}

	/**
	 * Delete a scan's file rows in batches of their own transactions, so no lock is held
	 * for long and a running scan never waits.
	 * @param scanId the scan
	 * @return the rows deleted
	 */
	public long prune(long scanId) {
		long total = 0;
		int deleted;
		do {
			deleted = this.jdbc.update("delete from treesum_file where ctid = any(array(select ctid from "
					+ "treesum_file where scan_id = ? limit 10000))", scanId);
			total += deleted;
		}
		while (deleted > 0);
		this.jdbc.update("update treesum_scan set pruned_at = now() where id = ?", scanId);
		return total;
	}

	/**
	 * Return the newest completed scan.
	 * @return its id, or empty if no scan has completed
	 */
	public Optional<Long> latestCompleted() {
		return this.jdbc
			.queryForList("select max(scan_id) from treesum_scan_status where state = 'COMPLETED'", Long.class)
			.stream()
			.filter(id -> id != null)
			.findFirst();
	}

	private static final RowMapper<ScanStatus> STATUS_MAPPER = (rs, row) -> new ScanStatus(rs.getLong("scan_id"),
			rs.getString("host"), strings(rs.getArray("roots")), rs.getString("algorithm"), rs.getString("state"),
			rs.getInt("attempts"), rs.getInt("partitions"), rs.getInt("partitions_done"), rs.getLong("files"),
			rs.getLong("bytes"), rs.getLong("errors"), batchTime(rs, "started_at"), batchTime(rs, "ended_at"),
			owner(rs), instant(rs, "heartbeat_at"));

	private static ScanOwner owner(ResultSet rs) throws SQLException {
		String machine = rs.getString("owner_machine");
		if (machine == null) {
			return null;
		}
		return new ScanOwner(machine, rs.getString("owner_boot_id"), rs.getLong("owner_pid"),
				instant(rs, "owner_started_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static List<String> strings(Array array) throws SQLException {
		return Arrays.asList((String[]) array.getArray());
	}

	/**
	 * Spring Batch stores local date-times of the JVM that wrote them.
	 */
	private static Instant batchTime(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		if (timestamp == null) {
			return null;
		}
		LocalDateTime local = timestamp.toLocalDateTime();
		return local.atZone(ZoneId.systemDefault()).toInstant();
	}

}
