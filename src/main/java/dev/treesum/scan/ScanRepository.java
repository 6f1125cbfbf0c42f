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

	long create(String host, List<String> roots, String algorithm, List<String> excludes) {
		return this.jdbc.queryForObject(
				"insert into treesum_scan (host, roots, roots_key, algorithm, excludes) values (?, ?, ?, ?, ?) "
						+ "returning id",
				Long.class, host, roots.toArray(String[]::new), rootsKey(roots), algorithm,
				excludes.toArray(String[]::new));
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

	void heartbeat(long scanId) {
		this.jdbc.update("update treesum_scan set heartbeat_at = now() where id = ?", scanId);
	}

	ScanSettings settings(long id) {
		return this.jdbc.queryForObject("select id, host, roots, algorithm, excludes from treesum_scan where id = ?",
				(rs, row) -> new ScanSettings(rs.getLong("id"), rs.getString("host"), strings(rs.getArray("roots")),
						rs.getString("algorithm"), strings(rs.getArray("excludes"))),
				id);
	}

	void attachJobInstance(long scanId, long jobInstanceId) {
		this.jdbc.update("update treesum_scan set job_instance_id = ? where id = ? and job_instance_id is null",
				jobInstanceId, scanId);
	}

	void addPartition(long scanId, String name, String root) {
		this.jdbc.update("insert into treesum_partition (scan_id, name, root) values (?, ?, ?) on conflict do nothing",
				scanId, name, root);
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
