package dev.treesum.launch;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.treesum.ChangeKind;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * What run control reads and writes of a scan: it creates scans, finds the latest one of
 * a host's set of roots, and records which process runs it and that it is alive.
 */
@Repository
class ScanRepository {

	private static final String STATUS_COLUMNS = "scan_id, host, roots, algorithm, state, attempts, partitions, "
			+ "partitions_done, files, bytes, errors, started_at, ended_at, owner_machine, owner_boot_id, owner_pid, "
			+ "owner_started_at, heartbeat_at";

	private static final RowMapper<ScanStatus> STATUS_MAPPER = (rs, row) -> new ScanStatus(rs.getLong("scan_id"),
			rs.getString("host"), strings(rs.getArray("roots")), rs.getString("algorithm"), rs.getString("state"),
			rs.getInt("attempts"), rs.getInt("partitions"), rs.getInt("partitions_done"), rs.getLong("files"),
			rs.getLong("bytes"), rs.getLong("errors"), instant(rs, "started_at"), instant(rs, "ended_at"), owner(rs),
			instant(rs, "heartbeat_at"));

	private final JdbcTemplate jdbc;

	ScanRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Create a scan, fixing what it was asked to do so that a resumed scan does the same.
	 * @param request what to scan and how
	 * @param roots the roots as they are stored
	 * @return the new scan's id
	 */
	long create(ScanRequest request, List<String> roots) {
		return this.jdbc.queryForObject("select treesum_create_scan(?, ?, ?, ?, ?, ?, ?, ?, ?)", Long.class,
				request.host(), roots.toArray(String[]::new), rootsKey(roots), request.algorithm().id(),
				request.excludes().toArray(String[]::new), request.allMounts(), request.ioConcurrency(),
				request.incremental(), (request.reverifyPercent() > 0) ? (float) request.reverifyPercent() : null);
	}

	/**
	 * Return the key that scans of the same set of roots share, whatever their order.
	 * @param roots the roots
	 * @return the key
	 */
	public static String rootsKey(List<String> roots) {
		return String.join("\n", roots.stream().sorted().toList());
	}

	/**
	 * Return the newest scan of a host's set of roots.
	 */
	Optional<ScanStatus> latest(String host, List<String> roots) {
		return first("select " + STATUS_COLUMNS + " from treesum_scan_status where host = ? and roots_key = ? "
				+ "order by scan_id desc limit 1", host, rootsKey(roots));
	}

	/**
	 * Return the newest scan of a host, whatever its roots.
	 */
	Optional<ScanStatus> latest(String host) {
		return first("select " + STATUS_COLUMNS + " from treesum_scan_status where host = ? order by scan_id desc "
				+ "limit 1", host);
	}

	/**
	 * Return a scan's status.
	 * @param id the scan id
	 * @return its status, or empty if there is no such scan
	 */
	Optional<ScanStatus> status(long id) {
		return first("select " + STATUS_COLUMNS + " from treesum_scan_status where scan_id = ?", id);
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

	/**
	 * Compare a completed scan with the previous completed scan of the same host and
	 * roots: the changes of each kind, and the entries it could not examine or hash. A
	 * pruned previous scan has no entries left to compare with.
	 */
	ScanVerdict verdict(long scanId) {
		Long base = this.jdbc
			.query("select id from treesum_scan where id = treesum_previous_scan(?) and " + "pruned_at is null",
					(rs, row) -> rs.getLong(1), scanId)
			.stream()
			.findFirst()
			.orElse(null);
		Map<ChangeKind, Long> counts = new EnumMap<>(ChangeKind.class);
		if (base != null) {
			this.jdbc.query("select change, count(*) from treesum_changes(?, ?) group by change", (rs) -> {
				long count = rs.getLong(2);
				// Kinds that --fail-on cannot name are no verdict's business.
				changeKind(rs.getString(1)).ifPresent((kind) -> counts.put(kind, count));
			}, scanId, base);
		}
		counts.put(ChangeKind.ERRORS,
				this.jdbc.queryForObject("select count(*) from treesum_errors where scan_id = ?", Long.class, scanId));
		return new ScanVerdict(base, counts);
	}

	/**
	 * Return the bytes a scan read to hash files, which {@code --incremental} makes fewer
	 * than the bytes it recorded.
	 */
	long bytesRead(long scanId) {
		return this.jdbc.queryForObject("select bytes_read from treesum_scan_status where scan_id = ?", Long.class,
				scanId);
	}

	/**
	 * Return when the oldest digest a scan holds was last verified by reading: when the
	 * scan of its series that read it was created. Digests carried over by
	 * {@code --incremental} keep the age of the read they come from.
	 */
	Optional<Instant> oldestVerification(long scanId) {
		return this.jdbc
			.query("select v.created_at from treesum_scan s join treesum_scan v on v.series_id = "
					+ "s.series_id and v.series_no = s.series_no - (select coalesce(max(e.verified_age), 0) from "
					+ "treesum_entry e where e.scan_id = s.id) where s.id = ?", (rs, row) -> instant(rs, "created_at"),
					scanId)
			.stream()
			.findFirst();
	}

	private Optional<ScanStatus> first(String sql, Object... arguments) {
		return this.jdbc.query(sql, STATUS_MAPPER, arguments).stream().findFirst();
	}

	private static Optional<ChangeKind> changeKind(String change) {
		return Arrays.stream(ChangeKind.values()).filter((kind) -> kind.id().equals(change)).findFirst();
	}

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

}
