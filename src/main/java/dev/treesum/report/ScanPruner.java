package dev.treesum.report;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Drops the file rows of old scans: all but the newest few completed scans of each host's
 * set of roots. The scans themselves stay listed, with their totals.
 */
@Component
public class ScanPruner {

	private final JdbcTemplate jdbc;

	ScanPruner(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Return the completed scans whose file rows {@code prune} drops: all but the newest
	 * {@code keep} completed scans of each host's set of roots, oldest first.
	 * @param keep how many to keep
	 * @param host the host whose scans, or {@code null} for every host's
	 * @return the scan ids
	 */
	public List<Long> prunable(int keep, String host) {
		return this.jdbc.queryForList("select scan_id from (select scan_id, row_number() over (partition by host, "
				+ "roots_key order by scan_id desc) as newer from treesum_scan_status where state = 'COMPLETED' "
				+ "and (host = ? or ?::text is null)) s where newer > ? and exists (select 1 from treesum_file f "
				+ "where f.scan_id = s.scan_id) order by scan_id", Long.class, host, host, keep);
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

}
