package dev.treesum.report;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.treesum.launch.ScanLock;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Drops the entries of old scans: all but the newest few completed scans of each host's
 * set of roots. Each scan's entries are a partition of their own, so dropping them takes
 * constant time and gives the space back at once; the scans stay listed, with their
 * totals. Then the paths no scan of the series refers to any more leave its dictionary.
 */
@Component
public class ScanPruner {

	private final JdbcTemplate jdbc;

	private final DataSource dataSource;

	ScanPruner(JdbcTemplate jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
	}

	/**
	 * Return the completed scans whose entries {@code prune} drops: all but the newest
	 * {@code keep} completed scans of each host's set of roots, oldest first.
	 * @param keep how many to keep
	 * @param host the host whose scans, or {@code null} for every host's
	 * @return the scan ids
	 */
	public List<Long> prunable(int keep, String host) {
		return this.jdbc.queryForList("select scan_id from (select scan_id, pruned_at, row_number() over "
				+ "(partition by host, roots_key order by scan_id desc) as newer from treesum_scan_status "
				+ "where state = 'COMPLETED' and (host = ? or ?::text is null)) s where newer > ? "
				+ "and pruned_at is null order by scan_id", Long.class, host, host, keep);
	}

	/**
	 * Drop a scan's entries.
	 * @param scanId the scan
	 * @return the entries dropped, or -1 if queries reading them held them for too long
	 */
	public long prune(long scanId) {
		long entries = this.jdbc.queryForObject(
				"select coalesce(sum(files), 0) from treesum_partition where scan_id = ?", Long.class, scanId);
		Boolean dropped = this.jdbc.queryForObject("select treesum_drop_entries(?)", Boolean.class, (int) scanId);
		return Boolean.TRUE.equals(dropped) ? entries : -1;
	}

	/**
	 * Delete the paths of the pruned scans' series that none of their scans refer to any
	 * more, each series holding its scan lock so that no scan of it adds paths meanwhile.
	 * @param scanIds the scans pruned
	 * @return the paths deleted; a series with a running scan is left for the next prune
	 */
	public long collectPaths(List<Long> scanIds) {
		long deleted = 0;
		for (Map<String, Object> series : this.jdbc.queryForList(
				"select distinct series_id, host, roots_key from treesum_scan where id = any(?)",
				(Object) scanIds.stream().map(Long::intValue).toArray(Integer[]::new))) {
			try (ScanLock lock = ScanLock.tryAcquire(this.dataSource, (String) series.get("host"),
					(String) series.get("roots_key"))) {
				if (lock.acquired()) {
					deleted += this.jdbc.queryForObject("select treesum_collect_paths(?)", Long.class,
							series.get("series_id"));
				}
			}
		}
		return deleted;
	}

}
