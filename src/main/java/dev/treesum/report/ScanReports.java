package dev.treesum.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
	 * total.
	 * @param scanId the scan
	 * @return the report
	 */
	public Report summary(long scanId) {
		Report partitions = query("select name as partition, mountpoint, device, fs_type, disk, state, files, bytes, "
				+ "bytes_read, errors, round(seconds::numeric, 1) as seconds, round(files_per_second::numeric) as "
				+ "files_per_second, round(bytes_per_second::numeric) as bytes_per_second "
				+ "from treesum_partition_status where scan_id = ? order by length(name), name", scanId);
		Report total = query("select 'total', array_to_string(s.roots, ' '), null, null, null, s.state, "
				+ "s.files, s.bytes, (select coalesce(sum(bytes_read), 0) from treesum_partition where scan_id = s.scan_id), "
				+ "s.errors, round(extract(epoch from (coalesce(s.ended_at, now()) - s.started_at))::numeric, 1), "
				+ "null, null from treesum_scan_status s where s.scan_id = ?", scanId);
		List<List<Object>> rows = new ArrayList<>(partitions.rows());
		rows.addAll(total.rows());
		return new Report(partitions.columns(), rows);
	}

	/**
	 * What changed from a base scan to a later one.
	 * @param scanId the later scan
	 * @param baseId the base scan
	 * @return change, path, previous path, size, previous digest, digest
	 */
	public Report changes(long scanId, long baseId) {
		return query("select change, path, previous_path, size, previous_digest, digest "
				+ "from treesum_changes(?, ?) order by path, change", scanId, baseId);
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
	 * Per scan, the latest completed one of every host and set of roots: totals, bytes
	 * read, errors and duration.
	 * @return host, scan, roots, files, bytes, bytes read, errors, seconds, ended
	 */
	public Report summaryOfEveryHost() {
		return query("select s.host, s.scan_id as scan, array_to_string(s.roots, ' ') as roots, s.files, s.bytes, "
				+ "s.bytes_read, s.errors, round(extract(epoch from (s.ended_at - s.started_at))::numeric, 1) as "
				+ "seconds, s.ended_at as ended from treesum_scan_status s where s.scan_id in (" + LATEST_OF_EACH
				+ ") order by s.host, s.roots_key");
	}

	/**
	 * What changed in the latest completed scan of every host and set of roots, against
	 * the previous completed scan of the same host and roots; first scans have nothing to
	 * compare with, pruned bases nothing left to.
	 * @return host, scan, base, then the columns of {@link #changes(long, long)}
	 */
	public Report changesOfEveryHost() {
		return query("select s.host, s.id as scan, b.id as base, c.change, c.path, c.previous_path, c.size, "
				+ "c.previous_digest, c.digest from treesum_scan s join treesum_scan b on b.id = "
				+ "treesum_previous_scan(s.id) and b.pruned_at is null cross join lateral treesum_changes(s.id, b.id) c "
				+ "where s.id in (" + LATEST_OF_EACH + ") order by s.host, s.id, c.path, c.change");
	}

	/**
	 * Groups of regular files with the same digest and size across the latest completed
	 * scan of every host and set of roots: the same content anywhere in the fleet. Hard
	 * links count once, within one scan.
	 * @param includeEmpty whether empty files count
	 * @return group, digest, size, host, scan, path
	 */
	public Report duplicatesOfEveryHost(boolean includeEmpty) {
		return query("with files as (select distinct on (f.digest, f.size, s.scan_id, f.part, f.inode) f.digest, "
				+ "f.size, s.scan_id, f.path from (" + LATEST_OF_EACH + ") s cross join lateral "
				+ "treesum_scan_files(s.scan_id) f where f.digest is not null and (? or f.size > 0) "
				+ "order by f.digest, f.size, s.scan_id, f.part, f.inode, f.path), counted as (select f.*, "
				+ "count(*) over (partition by f.digest, f.size) as copies from files f) "
				+ "select dense_rank() over (order by c.size desc, c.digest) as \"group\", encode(c.digest, 'hex') "
				+ "as digest, c.size, t.host, c.scan_id as scan, treesum_path_text(c.path) as path from counted c "
				+ "join treesum_scan t on t.id = c.scan_id where c.copies > 1 order by 1, t.host, c.path",
				includeEmpty);
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
