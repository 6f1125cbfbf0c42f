package dev.treesum.scan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

import dev.treesum.walk.FileEntry;
import org.postgresql.PGConnection;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Finds what the series already knows of a batch of entries, in one query: each path's
 * number in the dictionary and, for an incremental scan, the file as the previous scan
 * recorded it. Set-based, so a scan costs a query per chunk, not per file.
 *
 * @param jdbc the database
 * @param seriesId the series whose dictionary holds the paths
 * @param previousScanId the scan to carry digests from, or {@code null} for none
 */
record EntryLookup(JdbcTemplate jdbc, int seriesId, Integer previousScanId) {

	/**
	 * Each path looked up on its own in the series' dictionary partition, by its hash
	 * index: {@code offset 0} keeps the planner from turning the probes into a hash join
	 * that reads the whole dictionary, which it would do for a dictionary it has no
	 * statistics of yet.
	 */
	private static final String PATHS = "select u.i, d.path_no from unnest(?::bytea[]) with ordinality u(p, i) "
			+ "cross join lateral (select d.path_no from treesum_path_%d d where d.path = u.p offset 0) d";

	/**
	 * As {@link #PATHS}, and each path's entry in the partition of the scan digests are
	 * carried from, by its primary key. Named rather than reached through the partitioned
	 * table: the parent has no statistics, and with them missing the planner read the
	 * whole previous scan for every batch.
	 */
	private static final String PATHS_AND_PREVIOUS = "select u.i, d.path_no, e.size, e.mtime_ns, e.ctime_ns, "
			+ "e.inode, e.content, e.verified_age from unnest(?::bytea[]) with ordinality u(p, i) "
			+ "cross join lateral (select d.path_no from treesum_path_%d d where d.path = u.p offset 0) d "
			+ "left join lateral (select e.size, e.mtime_ns, e.ctime_ns, e.inode, e.content, e.verified_age "
			+ "from treesum_entry_%d e where e.scan_id = ? and e.path_no = d.path_no and e.status = 'o' "
			+ "and e.content is not null offset 0) e on true";

	/** Each as long as the pool's connection timeout: a minute at the 5 s default. */
	private static final int BUSY_POOL_ATTEMPTS = 12;

	/**
	 * Look a batch of entries up.
	 * @param entries the entries, in walk order
	 * @param pathNos filled with each entry's path number, 0 for a new path
	 * @param previous filled with each entry's previous record, or {@code null}
	 */
	void find(List<FileEntry> entries, int[] pathNos, PreviousEntry[] previous) {
		byte[][] paths = new byte[entries.size()][];
		for (int i = 0; i < paths.length; i++) {
			paths[i] = entries.get(i).bytes();
		}
		for (int attempt = 1;; attempt++) {
			try {
				this.jdbc.execute((ConnectionCallback<Void>) (connection) -> {
					find(connection, paths, pathNos, previous);
					return null;
				});
				return;
			}
			catch (CannotGetJdbcConnectionException ex) {
				if (attempt == BUSY_POOL_ATTEMPTS || !poolBusy(ex)) {
					throw ex;
				}
			}
		}
	}

	/**
	 * Whether the pool had no connection free in time, the server being reachable: the
	 * partitions' lookups share one connection, and with many partitions on a loaded
	 * server one of them may wait longer than the pool's timeout for its turn.
	 */
	private static boolean poolBusy(CannotGetJdbcConnectionException ex) {
		return ex.getCause() instanceof SQLTransientConnectionException timedOut && timedOut.getCause() == null;
	}

	/**
	 * Return the statement: the batch's paths are its first parameter, the previous scan
	 * its second when there is one.
	 * @return the SQL
	 */
	String sql() {
		return (this.previousScanId != null) ? PATHS_AND_PREVIOUS.formatted(this.seriesId, this.previousScanId)
				: PATHS.formatted(this.seriesId);
	}

	private void find(Connection connection, byte[][] paths, int[] pathNos, PreviousEntry[] previous)
			throws SQLException {
		PGConnection postgres = connection.unwrap(PGConnection.class);
		boolean carrying = this.previousScanId != null;
		try (PreparedStatement statement = connection.prepareStatement(sql())) {
			statement.setArray(1, postgres.createArrayOf("bytea", paths));
			if (carrying) {
				statement.setInt(2, this.previousScanId);
			}
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					int i = rows.getInt(1) - 1;
					pathNos[i] = rows.getInt(2);
					byte[] digest = carrying ? rows.getBytes(7) : null;
					if (digest != null) {
						previous[i] = new PreviousEntry(rows.getLong(3), rows.getLong(4), rows.getLong(5),
								rows.getLong(6), digest, rows.getInt(8));
					}
				}
			}
		}
	}

}
