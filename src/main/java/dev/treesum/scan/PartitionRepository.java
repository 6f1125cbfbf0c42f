package dev.treesum.scan;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.treesum.hash.HashAlgorithm;
import dev.treesum.scan.ScanSettings.PreviousScan;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What the scan job reads and writes besides its entries: the scan's settings, its
 * partitions, where each partition stood in the previous scan, and the numbering of the
 * series' dictionary.
 */
@Repository
class PartitionRepository {

	private final JdbcTemplate jdbc;

	PartitionRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	ScanSettings settings(int scanId) {
		return this.jdbc.queryForObject("select s.id, s.series_id, s.series_no, s.roots, s.algorithm, s.excludes, "
				+ "s.all_mounts, s.io_concurrency, s.incremental, coalesce(s.reverify_percent, 0) as reverify, "
				+ "p.id as previous_id, p.series_no as previous_no from treesum_scan s left join treesum_scan p "
				+ "on p.id = treesum_previous_scan(s.id) and p.algorithm = s.algorithm and p.pruned_at is null "
				+ "where s.id = ?",
				(rs, row) -> new ScanSettings(rs.getInt("id"), rs.getInt("series_id"), rs.getInt("series_no"),
						strings(rs.getArray("roots")), HashAlgorithm.of(rs.getString("algorithm")),
						strings(rs.getArray("excludes")), rs.getBoolean("all_mounts"), rs.getInt("io_concurrency"),
						rs.getBoolean("incremental"), rs.getDouble("reverify"), previous(rs)),
				scanId);
	}

	void attachJobInstance(int scanId, long jobInstanceId) {
		this.jdbc.update("update treesum_scan set job_instance_id = ? where id = ? and job_instance_id is null",
				jobInstanceId, scanId);
	}

	void add(int scanId, MountPartition partition) {
		this.jdbc.update(
				"insert into treesum_partition (scan_id, part, name, root, mountpoint, device, fs_type, source, disk, "
						+ "io_concurrency, io_auto) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
				scanId, partition.part(), partition.name(), partition.rootBytes(), partition.mountPointBytes(),
				partition.device(), partition.fsType(), partition.source(), partition.disk(), partition.ioConcurrency(),
				partition.ioAuto());
	}

	List<String> names(int scanId) {
		return this.jdbc.queryForList("select name from treesum_partition where scan_id = ? order by part",
				String.class, scanId);
	}

	/**
	 * Return the highest path number of a series' dictionary.
	 */
	int lastPathNo(int seriesId) {
		return this.jdbc.queryForObject("select coalesce(max(path_no), 0) from treesum_path where series_id = ?",
				Integer.class, seriesId);
	}

	/**
	 * Return the partition of an earlier scan that walked the same root.
	 * @param scanId the earlier scan
	 * @param root the exact bytes of the root
	 * @return its number, and how far its re-verification went beyond its budget
	 */
	Optional<EarlierPartition> earlier(int scanId, byte[] root) {
		return this.jdbc
			.query("select part, greatest(reverify_bytes - coalesce(reverify_budget, reverify_bytes), 0) as excess "
					+ "from treesum_partition where scan_id = ? and root = ?",
					(rs, row) -> new EarlierPartition(rs.getInt("part"), rs.getLong("excess")), scanId, root)
			.stream()
			.findFirst();
	}

	/**
	 * Return the bytes of the regular files an earlier partition read or carried over
	 * whole: what a scan after it could carry over.
	 */
	long carriedBytes(int scanId, int part) {
		return this.jdbc.queryForObject("select coalesce(sum(e.size), 0) from treesum_entry e join treesum_shape sh "
				+ "on sh.id = e.shape_id where e.scan_id = ? and sh.part = ? and sh.kind = 'f' and e.status = 'o' "
				+ "and e.content is not null", Long.class, scanId, part);
	}

	/**
	 * Return the last of an earlier partition's files to read again within a budget,
	 * taking them verified longest ago first: the first file past the budget is the last
	 * (also when the files before it meet the budget exactly, so that an empty file at
	 * the end of the oldest ones is not left for a later run).
	 * @return its verification age and path number, or {@code null} if there are none
	 */
	int[] reverifyCutoff(int scanId, int part, long budget) {
		return this.jdbc
			.query("select verified_age, path_no from (select e.verified_age, e.path_no, "
					+ "sum(e.size) over (order by e.verified_age desc, e.path_no) - e.size as before "
					+ "from treesum_entry e join treesum_shape sh on sh.id = e.shape_id where e.scan_id = ? "
					+ "and sh.part = ? and sh.kind = 'f' and e.status = 'o' and e.content is not null) c "
					+ "where before <= ? order by verified_age, path_no desc limit 1",
					(rs, row) -> new int[] { rs.getInt(1), rs.getInt(2) }, scanId, part, budget)
			.stream()
			.findFirst()
			.orElse(null);
	}

	void recordIoConcurrency(int scanId, int part, int used) {
		this.jdbc.update("update treesum_partition set io_concurrency_used = ? where scan_id = ? and part = ?", used,
				scanId, part);
	}

	void recordReverifyBudget(int scanId, int part, long budget) {
		this.jdbc.update("update treesum_partition set reverify_budget = ? where scan_id = ? and part = ?", budget,
				scanId, part);
	}

	/**
	 * Vacuum and analyze a completed scan's entries and its series' dictionary. Their
	 * names are made of numbers only.
	 */
	void vacuum(int scanId) {
		int seriesId = this.jdbc.queryForObject("select series_id from treesum_scan where id = ?", Integer.class,
				scanId);
		this.jdbc.execute("vacuum (analyze) treesum_entry_" + scanId + ", treesum_error_" + scanId + ", treesum_path_"
				+ seriesId);
	}

	private static PreviousScan previous(ResultSet rs) throws SQLException {
		int id = rs.getInt("previous_id");
		return rs.wasNull() ? null : new PreviousScan(id, rs.getInt("previous_no"));
	}

	private static List<String> strings(Array array) throws SQLException {
		return Arrays.asList((String[]) array.getArray());
	}

	/**
	 * A partition of an earlier scan of the same root.
	 *
	 * @param part its number in that scan
	 * @param reverifyExcess the bytes it read again beyond its re-verification budget,
	 * which the next budget gives back
	 */
	record EarlierPartition(int part, long reverifyExcess) {
	}

}
