package dev.treesum.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.postgresql.util.PGInterval;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The reports, read from the SQL functions and views in {@code db/} that users can also
 * query from psql, and the status of scans, which is a report too.
 */
@Component
public class ScanReports {

	private static final String STATUS = "select scan_id as id, host, state, attempts, partitions_done || '/' || "
			+ "partitions as partitions, files, bytes, errors, started_at as started, coalesce(ended_at, now()) - "
			+ "started_at as duration, case when state in ('STARTING', 'STARTED', 'STOPPING') and owner_pid is not null "
			+ "then 'pid ' || owner_pid || ' on ' || owner_machine end as owner, case when state in ('STARTING', "
			+ "'STARTED', 'STOPPING') then heartbeat_at end as heartbeat, array_to_string(roots, ' ') as roots "
			+ "from treesum_scan_status";

	/** The latest completed scan of every host and set of roots. */
	private static final String LATEST_OF_EACH = "select max(scan_id) as scan_id from treesum_scan_status "
			+ "where state = 'COMPLETED' group by host, roots_key";

	/** The verification columns of a summary, from treesum_verification v. */
	private static final String VERIFIED = "v.oldest_verified, "
			+ "round(100.0 * v.files_verified_7d / nullif(v.files, 0), 1) as verified_7d_files_pct, "
			+ "round(100.0 * v.bytes_verified_7d / nullif(v.bytes, 0), 1) as verified_7d_bytes_pct, "
			+ "round(100.0 * v.files_verified_30d / nullif(v.files, 0), 1) as verified_30d_files_pct, "
			+ "round(100.0 * v.bytes_verified_30d / nullif(v.bytes, 0), 1) as verified_30d_bytes_pct";

	private final JdbcTemplate jdbc;

	ScanReports(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Return the previous completed scan of the same roots on the same host.
	 * @param scanId the later scan
	 * @return the earlier one, if there is one
	 */
	public Optional<Long> previous(long scanId) {
		return Optional.ofNullable(this.jdbc.queryForObject("select treesum_previous_scan(?)", Long.class, scanId));
	}

	/**
	 * Return whether a scan exists.
	 * @param scanId the scan
	 * @return {@code true} if it does
	 */
	public boolean exists(long scanId) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("select exists (select 1 from treesum_scan where id = ?)",
				Boolean.class, scanId));
	}

	/**
	 * Return the digest algorithm of a scan.
	 * @param scanId the scan
	 * @return its algorithm's name, or empty if there is no such scan
	 */
	public Optional<String> algorithm(long scanId) {
		return this.jdbc.queryForList("select algorithm from treesum_scan where id = ?", String.class, scanId)
			.stream()
			.findFirst();
	}

	/**
	 * Return whether {@code prune} dropped a scan's file rows: only its totals remain.
	 * @param scanId the scan
	 * @return {@code true} if it was pruned
	 */
	public boolean pruned(long scanId) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject(
				"select exists (select 1 from treesum_scan where id = ? and pruned_at is not null)", Boolean.class,
				scanId));
	}

	/**
	 * Return the newest completed scan of a host.
	 * @param host the host
	 * @return its id, or empty if no scan of the host has completed
	 */
	public Optional<Long> latestCompleted(String host) {
		return Optional.ofNullable(this.jdbc.queryForObject(
				"select max(scan_id) from treesum_scan_status where state = 'COMPLETED' and host = ?", Long.class,
				host));
	}

	/**
	 * Return the host a scan belongs to.
	 * @param scanId the scan
	 * @return the host, or empty if there is no such scan
	 */
	public Optional<String> host(long scanId) {
		return this.jdbc.queryForList("select host from treesum_scan where id = ?", String.class, scanId)
			.stream()
			.findFirst();
	}

	/**
	 * The most recent scans, newest first: state, attempts, partitions done, totals, when
	 * it started, how long it ran, and the owner of a running one.
	 * @param limit how many at most
	 * @param host the host whose scans, or {@code null} for every host's
	 * @return the report
	 */
	public Report recent(int limit, String host) {
		if (host == null) {
			return query(STATUS + " order by scan_id desc limit ?", limit);
		}
		return query(STATUS + " where host = ? order by scan_id desc limit ?", host, limit);
	}

	/**
	 * One scan, as {@link #recent(int)} shows it.
	 * @param scanId the scan
	 * @return the report, with no row if there is no such scan
	 */
	public Report status(long scanId) {
		return query(STATUS + " where scan_id = ?", scanId);
	}

	/**
	 * A scan's partitions: mount point, device, file system, disk, I/O concurrency,
	 * totals, duration and throughput.
	 * @param scanId the scan
	 * @return the report
	 */
	public Report partitions(long scanId) {
		return query("select name as partition, state, mountpoint, device, fs_type, disk, io_concurrency, files, "
				+ "bytes, errors, make_interval(secs => seconds::float8) as duration, round(files_per_second::numeric) as "
				+ "files_per_second, round(bytes_per_second::numeric) as bytes_per_second "
				+ "from treesum_partition_status where scan_id = ? order by length(name), name", scanId);
	}

	/**
	 * Per partition: files, bytes, errors, duration and throughput, then the scan's
	 * total; each with the oldest verification by reading among its regular files and the
	 * share of them, in files and in bytes, verified within the last 7 and 30 days.
	 * @param scanId the scan
	 * @return the report
	 */
	public Report summary(long scanId) {
		Report partitions = query("select name as partition, mountpoint, device, fs_type, disk, state, files, bytes, "
				+ "bytes_read, errors, round(seconds::numeric, 1) as seconds, round(files_per_second::numeric) as "
				+ "files_per_second, round(bytes_per_second::numeric) as bytes_per_second, part "
				+ "from treesum_partition_status where scan_id = ? order by length(name), name", scanId);
		Report total = query("select 'total', array_to_string(s.roots, ' '), null, null, null, s.state, "
				+ "s.files, s.bytes, (select coalesce(sum(bytes_read), 0) from treesum_partition where scan_id = s.scan_id), "
				+ "s.errors, round(extract(epoch from (coalesce(s.ended_at, now()) - s.started_at))::numeric, 1), "
				+ "null, null, null from treesum_scan_status s where s.scan_id = ?", scanId);
		// One pass over the entries gives every partition's figures and the total's.
		Report verification = query("select v.part, " + VERIFIED + " from treesum_verification(?) v", scanId);
		Map<Object, List<Object>> verified = new HashMap<>();
		for (List<Object> row : verification.rows()) {
			verified.put(row.get(0), row.subList(1, row.size()));
		}
		List<Object> none = new ArrayList<>(Collections.nCopies(verification.columns().size() - 1, null));
		List<String> columns = new ArrayList<>(partitions.columns().subList(0, partitions.columns().size() - 1));
		columns.addAll(verification.columns().subList(1, verification.columns().size()));
		List<List<Object>> rows = new ArrayList<>();
		for (List<Object> row : partitions.rows()) {
			List<Object> joined = new ArrayList<>(row.subList(0, row.size() - 1));
			joined.addAll(verified.getOrDefault(row.get(row.size() - 1), none));
			rows.add(joined);
		}
		for (List<Object> row : total.rows()) {
			List<Object> joined = new ArrayList<>(row.subList(0, row.size() - 1));
			joined.addAll(verified.getOrDefault(null, none));
			rows.add(joined);
		}
		return new Report(columns, rows);
	}

	/**
	 * What changed from a base scan to a later one.
	 * @param scanId the later scan
	 * @param baseId the base scan
	 * @return change, path, previous path, size, previous digest, digest
	 */
	public Report changes(long scanId, long baseId) {
		return changes(scanId, baseId, false);
	}

	/**
	 * What changed from a base scan to a later one, optionally with the files only
	 * touched: their modification time changed, their content not.
	 * @param scanId the later scan
	 * @param baseId the base scan
	 * @param includeTouched whether to list touched files
	 * @return change, path, previous path, size, previous digest, digest
	 */
	public Report changes(long scanId, long baseId, boolean includeTouched) {
		return query("select change, path, previous_path, size, previous_digest, digest "
				+ "from treesum_changes(?, ?, ?) order by path, change", scanId, baseId, includeTouched);
	}

	/**
	 * Groups of regular files with the same digest and size; hard links count once.
	 * @param scanId the scan
	 * @param includeEmpty whether empty files count
	 * @return group, digest, size, path
	 */
	public Report duplicates(long scanId, boolean includeEmpty) {
		return query("select \"group\", digest, size, path from treesum_duplicates(?, ?)", scanId, includeEmpty);
	}

	/**
	 * Entries that could not be examined or hashed, and why.
	 * @param scanId the scan
	 * @return path, status, error
	 */
	public Report errors(long scanId) {
		return query("select path, status, error from treesum_errors where scan_id = ? order by path", scanId);
	}

	/**
	 * The regular files of a scan not verified by reading within a time, verified longest
	 * ago first: the scan that last read each one, and when it started.
	 * @param scanId the scan
	 * @param olderThan how long ago the last verification may be at most
	 * @return path, size, verified at, verified scan
	 */
	public Report stale(long scanId, Duration olderThan) {
		return query("select path, size, verified_at, verified_scan from treesum_stale(?, make_interval(secs => ?))",
				scanId, seconds(olderThan));
	}

	/**
	 * Per scan, the latest completed one of every host and set of roots: totals, bytes
	 * read, errors, duration, the oldest verification by reading and the share verified
	 * within the last 7 and 30 days.
	 * @return host, scan, roots, files, bytes, bytes read, errors, seconds, ended, then
	 * the verification columns of {@link #summary(long)}
	 */
	public Report summaryOfEveryHost() {
		return query("select s.host, s.scan_id as scan, array_to_string(s.roots, ' ') as roots, s.files, s.bytes, "
				+ "s.bytes_read, s.errors, round(extract(epoch from (s.ended_at - s.started_at))::numeric, 1) as "
				+ "seconds, s.ended_at as ended, " + VERIFIED + " from treesum_scan_status s left join lateral "
				+ "treesum_verification(s.scan_id) v on v.part is null where s.scan_id in (" + LATEST_OF_EACH
				+ ") order by s.host, s.roots_key");
	}

	/**
	 * What changed in the latest completed scan of every host and set of roots, against
	 * the previous completed scan of the same host and roots; first scans have nothing to
	 * compare with, pruned bases nothing left to.
	 * @param includeTouched whether to list touched files
	 * @return host, scan, base, then the columns of {@link #changes(long, long)}
	 */
	public Report changesOfEveryHost(boolean includeTouched) {
		return query("select s.host, s.id as scan, b.id as base, c.change, c.path, c.previous_path, c.size, "
				+ "c.previous_digest, c.digest from treesum_scan s join treesum_scan b on b.id = "
				+ "treesum_previous_scan(s.id) and b.pruned_at is null cross join lateral "
				+ "treesum_changes(s.id, b.id, ?) c where s.id in (" + LATEST_OF_EACH + ") "
				+ "order by s.host, s.id, c.path, c.change", includeTouched);
	}

	/**
	 * Groups of regular files with the same digest and size across the latest completed
	 * scan of every host and set of roots: the same content anywhere in the fleet. Hard
	 * links count once, within one scan.
	 * @param includeEmpty whether empty files count
	 * @return group, digest, size, host, scan, path
	 */
	public Report duplicatesOfEveryHost(boolean includeEmpty) {
		return query("select \"group\", digest, size, host, scan, path from treesum_duplicates_latest(?)",
				includeEmpty);
	}

	/**
	 * The regular files not verified by reading within a time in the latest completed
	 * scan of every host and set of roots, verified longest ago first.
	 * @param olderThan how long ago the last verification may be at most
	 * @return host, scan, then the columns of {@link #stale(long, Duration)}
	 */
	public Report staleOfEveryHost(Duration olderThan) {
		return query("select s.host, s.id as scan, t.path, t.size, t.verified_at, t.verified_scan "
				+ "from treesum_scan s cross join lateral treesum_stale(s.id, make_interval(secs => ?)) t "
				+ "where s.id in (" + LATEST_OF_EACH + ") and s.pruned_at is null "
				+ "order by t.verified_at nulls first, s.host, t.path", seconds(olderThan));
	}

	/**
	 * Entries that could not be examined or hashed in the latest completed scan of every
	 * host and set of roots.
	 * @return host, scan, path, status, error
	 */
	public Report errorsOfEveryHost() {
		return query("select s.host, e.scan_id as scan, e.path, e.status, e.error from treesum_errors e "
				+ "join treesum_scan s on s.id = e.scan_id where e.scan_id in (" + LATEST_OF_EACH + ") "
				+ "order by s.host, e.scan_id, e.path");
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	private Report query(String sql, Object... arguments) {
		return this.jdbc.query(sql, (ResultSet rs) -> {
			ResultSetMetaData meta = rs.getMetaData();
			List<String> columns = new ArrayList<>();
			for (int i = 1; i <= meta.getColumnCount(); i++) {
				columns.add(meta.getColumnLabel(i));
			}
			List<List<Object>> rows = new ArrayList<>();
			while (rs.next()) {
				List<Object> row = new ArrayList<>(columns.size());
				for (int i = 1; i <= columns.size(); i++) {
					row.add(value(rs, i));
				}
				rows.add(row);
			}
			return new Report(columns, rows);
		}, arguments);
	}

	/**
	 * Return a value as the formats know it: whole numbers, decimals to one place,
	 * instants and durations.
	 */
	private static Object value(ResultSet rs, int column) throws SQLException {
		Object value = rs.getObject(column);
		if (value instanceof BigDecimal decimal) {
			return (decimal.scale() <= 0) ? decimal.toBigInteger() : decimal.setScale(1, RoundingMode.HALF_UP);
		}
		if (value instanceof Timestamp timestamp) {
			return timestamp.toInstant();
		}
		if (value instanceof PGInterval interval) {
			return Duration.ofMillis(
					Math.round(((((interval.getDays() * 24.0) + interval.getHours()) * 60 + interval.getMinutes()) * 60
							+ interval.getSeconds()) * 1000));
		}
		return value;
	}

}
