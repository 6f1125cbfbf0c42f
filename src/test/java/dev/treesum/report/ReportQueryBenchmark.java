package dev.treesum.report;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.treesum.TreesumSpringTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Prints the plans and wall times of the report queries on two generated scans of a
 * million file rows each (a few thousand changes of every kind between them, duplicates,
 * errors) and a history of two thousand smaller scans with their Spring Batch records:
 * the figures behind the report indexes. It prints and does not pass or fail. Run with
 * {@code ./mvnw test -Dtest=ReportQueryBenchmark}; size with
 * {@code -Dbenchmark.files=1000000 -Dbenchmark.history=2000}. With
 * {@code -Dbenchmark.keep=true} and {@code TREESUM_TEST_DATABASE_URL} naming a server,
 * the generated scans stay there for experiments in psql.
 */
@TreesumSpringTest
class ReportQueryBenchmark {

	private static final int FILES = Integer.getInteger("benchmark.files", 1_000_000);

	private static final int HISTORY = Integer.getInteger("benchmark.history", 2000);

	private static final int PARTITIONS = 8;

	private static final String HOST = "report-benchmark";

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void reportQueriesOnAMillionFileRowsPerScan() {
		long started = System.nanoTime();
		// Measured first as a scan leaves its rows, before any vacuum: they are not
		// all-visible yet, so index-only scans still read the heap.
		this.jdbc.execute("alter table treesum_file set (autovacuum_enabled = false)");
		history();
		long base = scanHeader(HOST, "/bench/nas", 1);
		long scan = scanHeader(HOST, "/bench/nas", 2);
		baseFiles(base);
		laterFiles(scan, base);
		partitionTotals(base);
		partitionTotals(scan);
		this.jdbc.execute("analyze");
		System.out.printf(Locale.ROOT, "%nReport query benchmark: %s%n",
				this.jdbc.queryForObject("select version()", String.class));
		System.out.printf(Locale.ROOT, "work_mem %s, shared_buffers %s; generated in %.0f s%n",
				this.jdbc.queryForObject("show work_mem", String.class),
				this.jdbc.queryForObject("show shared_buffers", String.class), seconds(started));
		System.out.printf(Locale.ROOT,
				"treesum_file: %,d rows (%s with indexes); scans %d (base) and %d: %,d and %,d "
						+ "rows; %,d scans in all%n",
				count("select count(*) from treesum_file"),
				this.jdbc.queryForObject("select pg_size_pretty(pg_total_relation_size('treesum_file'))", String.class),
				base, scan, count("select count(*) from treesum_file where scan_id = " + base),
				count("select count(*) from treesum_file where scan_id = " + scan),
				count("select count(*) from treesum_scan"));
		System.out.printf(Locale.ROOT, "indexes: %s%n",
				this.jdbc.queryForList("select indexname from pg_indexes where tablename in ('treesum_file', "
						+ "'batch_job_execution', 'batch_step_execution') order by 1", String.class));
		Map<String, String> queries = queries(scan, base);
		Map<String, Double> fresh = new LinkedHashMap<>();
		System.out.printf(Locale.ROOT, "%n=== Analyzed, not vacuumed (a scan just completed)%n");
		queries.forEach((title, sql) -> fresh.put(title, measure(title, sql)));

		this.jdbc.execute("vacuum analyze treesum_file");
		Map<String, Double> vacuumed = new LinkedHashMap<>();
		System.out.printf(Locale.ROOT, "%n=== After vacuum analyze treesum_file%n");
		for (String title : List.of("report changes", "report duplicates", "report errors")) {
			vacuumed.put(title, measure(title, queries.get(title)));
		}

		System.out.printf(Locale.ROOT, "%nchanges by kind: %s%n", this.jdbc.queryForList(
				"select change, count(*) from treesum_changes(" + scan + ", " + base + ") group by 1 order by 1"));
		System.out.printf(Locale.ROOT, "%nWall time, best of 3 (ms)              not vacuumed   vacuumed%n");
		fresh.forEach((title, ms) -> System.out.printf(Locale.ROOT, "%-40s %12.1f %10s%n", title, ms,
				vacuumed.containsKey(title) ? String.format(Locale.ROOT, "%.1f", vacuumed.get(title)) : ""));
	}

	/**
	 * The queries {@code report} and {@code status} run, by what they answer.
	 */
	private static Map<String, String> queries(long scan, long base) {
		Map<String, String> queries = new LinkedHashMap<>();
		queries.put("report changes", "select change, path, previous_path, size, previous_digest, digest "
				+ "from treesum_changes(" + scan + ", " + base + ") order by path, change");
		queries.put("report duplicates",
				"select \"group\", digest, size, path from treesum_duplicates(" + scan + ", false)");
		queries.put("report errors",
				"select path, status, error from treesum_errors where scan_id = " + scan + " order by path");
		queries.put("report summary (partition status)",
				"select * from treesum_partition_status where scan_id = " + scan + " order by length(name), name");
		queries.put("treesum_scan_status of one scan", "select * from treesum_scan_status where scan_id = " + scan);
		queries.put("status (newest 20 scans)", "select * from treesum_scan_status order by scan_id desc limit 20");
		queries.put("latest completed scan (default --scan)",
				"select max(scan_id) from treesum_scan_status where state = 'COMPLETED'");
		queries.put("treesum_previous_scan (default --base)", "select treesum_previous_scan(" + scan + ")");
		queries.put("prune's prunable scans",
				"select scan_id from (select scan_id, row_number() over (partition by host, roots_key order by "
						+ "scan_id desc) as newer from treesum_scan_status where state = 'COMPLETED') s where newer "
						+ "> 1 and exists (select 1 from treesum_file f where f.scan_id = s.scan_id) order by scan_id");
		return queries;
	}

	@AfterEach
	void dropTheGeneratedScans() {
		this.jdbc.execute("alter table treesum_file reset (autovacuum_enabled)");
		if (Boolean.getBoolean("benchmark.keep")) {
			return;
		}
		// The scans' file and partition rows go with them.
		List<Long> instances = this.jdbc.queryForList(
				"delete from treesum_scan where host like 'bench-%' or host = ? returning job_instance_id", Long.class,
				HOST);
		for (String sql : List.of(
				"delete from batch_step_execution where job_execution_id in (select job_execution_id "
						+ "from batch_job_execution where job_instance_id = any(?))",
				"delete from batch_job_execution where job_instance_id = any(?)",
				"delete from batch_job_instance where job_instance_id = any(?)")) {
			this.jdbc.update(sql, (Object) instances.toArray(Long[]::new));
		}
	}

	/**
	 * Two thousand earlier scans of four hosts' roots, eight partitions each, with the
	 * job, step and partition rows the status views join; their file rows were pruned.
	 */
	private void history() {
		for (int i = 0; i < HISTORY; i++) {
			scanHeader("bench-" + (i % 4), "/history/" + (i % 4), -i);
		}
	}

	/**
	 * A completed scan as treesum leaves it: job instance, execution, manager and
	 * partition step executions, scan and partition rows.
	 * @return the scan id
	 */
	private long scanHeader(String host, String root, int day) {
		long instance = count("select nextval('batch_job_instance_seq')");
		this.jdbc.update("insert into batch_job_instance (job_instance_id, version, job_name, job_key) "
				+ "values (?, 0, 'treesumScan', md5(?))", instance, host + root + day);
		long execution = count("select nextval('batch_job_execution_seq')");
		String start = "timestamp '2026-01-01' + interval '1 day' * " + day;
		this.jdbc.update("insert into batch_job_execution (job_execution_id, version, job_instance_id, create_time, "
				+ "start_time, end_time, status, exit_code, exit_message, last_updated) values (?, 2, ?, " + start
				+ ", " + start + ", " + start + " + interval '1 hour', 'COMPLETED', 'COMPLETED', '', " + start
				+ " + interval '1 hour')", execution, instance);
		this.jdbc.update("insert into batch_step_execution (step_execution_id, version, step_name, job_execution_id, "
				+ "create_time, start_time, end_time, status, commit_count, read_count, filter_count, write_count, "
				+ "read_skip_count, write_skip_count, process_skip_count, rollback_count, exit_code, exit_message, "
				+ "last_updated) select nextval('batch_step_execution_seq'), 3, case when p < 0 then 'scanStep' "
				+ "else 'mountStep:partition-' || p end, ?, " + start + ", " + start + ", " + start
				+ " + interval '1 hour', 'COMPLETED', 0, 0, 0, 0, 0, 0, 0, 0, 'COMPLETED', '', " + start
				+ " + interval '1 hour' from generate_series(-1, ?) p", execution, PARTITIONS - 1);
		long scanId = count("insert into treesum_scan (host, roots, roots_key, algorithm, job_instance_id, "
				+ "created_at) values ('" + host + "', array['" + root + "'], '" + root + "', 'sha256', " + instance
				+ ", " + start + ") returning id");
		this.jdbc.update("insert into treesum_partition (scan_id, name, root, mountpoint, device, fs_type, disk, "
				+ "io_concurrency, files, bytes, errors, bytes_read) select ?, 'partition-' || p, ? || '/p' || p, "
				+ "? || '/p' || p, '8:' || p, 'ext4', 'sda', 1, 125000, 1000000000, 0, 1000000000 "
				+ "from generate_series(0, ?) p", scanId, root, root, PARTITIONS - 1);
		return scanId;
	}

	/**
	 * A million files under eight mounts: paths as deep as a home share's, sizes spread
	 * from empty to megabytes, one file in ten with a copy elsewhere, a hundred copies of
	 * one file, a thousand empty files, a few hundred unreadable. The rows lie as a scan
	 * leaves them: each partition's in walk (path) order, in chunks of 500 interleaved
	 * with the other partitions' chunks.
	 */
	private void baseFiles(long scanId) {
		long started = System.nanoTime();
		this.jdbc.update("insert into treesum_file (scan_id, partition_name, path, path_text, kind, status, size, "
				+ "mtime_ns, ctime_ns, inode, device, links, digest, error) "
				+ "select ?, 'partition-' || w.p, convert_to(t.path, 'UTF8'), t.path, 'file', "
				+ "case when c.unreadable then 'unreadable' else 'ok' end, t.size, 1700000000000000000 + i * 1000003, "
				+ "1700000000000000000 + i * 1000003, i, w.p, 1, "
				+ "case when c.unreadable then null when c.content < 0 then sha256('') "
				+ "else sha256(int8send(c.content)) end, case when c.unreadable then 'Permission denied' end "
				+ "from generate_series(0, ?::bigint - 1) i, "
				+ "lateral (select (i / 500) % 8 as p, (i / 4000) * 500 + i % 500 as k) w, "
				+ "lateral (select i % 5000 = 4999 as unreadable, case when i % 1000 = 998 then -1 "
				+ "when i % 10000 = 5 then 5 when i % 20 = 1 then i - 1 else i end as content) c, "
				+ "lateral (select '/bench/nas/p' || w.p || '/home/user' || lpad((w.k / 2000)::text, 4, '0') "
				+ "|| '/documents/' || lpad(((w.k / 50) % 40)::text, 2, '0') || '/file-' || lpad(w.k::text, 8, '0') "
				+ "|| (array['.jpg', '.pdf', '.txt', '.mkv', '.java'])[1 + i % 5] as path, "
				+ "case when c.content < 0 then 0 else floor(exp((abs(hashint8(c.content)::bigint) % 1500) / 100.0))"
				+ "::bigint end as size) t", scanId, FILES);
		System.out.printf(Locale.ROOT, "base scan's files inserted in %.0f s%n", seconds(started));
	}

	/**
	 * The next night's scan of the same files: every 500th deleted, modified (new size,
	 * mtime and content), corrupted (new content only), moved to another directory or
	 * touched (new mtime only); two thousand new files; a few hundred more unreadable.
	 */
	private void laterFiles(long scanId, long baseId) {
		long started = System.nanoTime();
		this.jdbc.update("insert into treesum_file (scan_id, partition_name, path, path_text, kind, status, size, "
				+ "mtime_ns, ctime_ns, inode, device, links, digest, error, carried_over) "
				+ "select ?, f.partition_name, convert_to(t.path_text, 'UTF8'), t.path_text, f.kind, "
				+ "case when f.inode % 5000 = 2499 then 'unreadable' else f.status end, "
				+ "f.size + case when f.inode % 500 = 2 then 100 else 0 end, "
				+ "f.mtime_ns + case when f.inode % 500 in (2, 5) then 1000000000 else 0 end, "
				+ "f.ctime_ns + case when f.inode % 500 in (2, 3, 5) then 1000000000 else 0 end, f.inode, f.device, "
				+ "f.links, case when f.inode % 5000 = 2499 then null when f.inode % 500 in (2, 3) "
				+ "then sha256(convert_to('changed ' || f.inode, 'UTF8')) else f.digest end, "
				+ "case when f.inode % 5000 = 2499 then 'Permission denied' else f.error end, "
				+ "f.inode % 500 not in (2, 3, 4, 5) "
				+ "from treesum_file f, lateral (select case when f.inode % 500 = 4 "
				+ "then replace(f.path_text, '/documents/', '/archive/') else f.path_text end as path_text) t "
				+ "where f.scan_id = ? and f.inode % 500 <> 1", scanId, baseId);
		this.jdbc.update("insert into treesum_file (scan_id, partition_name, path, path_text, kind, status, size, "
				+ "mtime_ns, ctime_ns, inode, device, links, digest) "
				+ "select ?, 'partition-' || (i % 8), convert_to(t.path, 'UTF8'), t.path, 'file', 'ok', i % 100000, "
				+ "1800000000000000000 + i, 1800000000000000000 + i, i, i % 8, 1, sha256(int8send(i)) "
				+ "from generate_series(?::bigint + 1, ?::bigint + 2000) i, lateral (select '/bench/nas/p' || (i % 8) "
				+ "|| '/home/new/file-' || i || '.dat' as path) t", scanId, FILES, FILES);
		System.out.printf(Locale.ROOT, "later scan's files inserted in %.0f s%n", seconds(started));
	}

	private void partitionTotals(long scanId) {
		this.jdbc.update("update treesum_partition p set files = t.files, bytes = t.bytes, errors = t.errors, "
				+ "bytes_read = t.bytes from (select partition_name, count(*) as files, coalesce(sum(size), 0) as "
				+ "bytes, count(*) filter (where status <> 'ok') as errors from treesum_file where scan_id = ? "
				+ "group by partition_name) t where p.scan_id = ? and p.name = t.partition_name", scanId, scanId);
	}

	/**
	 * Print the plan with its actual times and buffers, then the wall time of running the
	 * query to its last row: the first run and the best of three. The plan comes from
	 * auto_explain, which also shows the plans inside the report functions (EXPLAIN shows
	 * a function that is not inlined as one Function Scan).
	 * @return the best wall time in milliseconds
	 */
	private double measure(String title, String sql) {
		List<String> plans = this.jdbc.execute((Connection connection) -> {
			try (Statement statement = connection.createStatement()) {
				statement.execute("load 'auto_explain'");
				statement.execute("set auto_explain.log_min_duration = 0");
				statement.execute("set auto_explain.log_analyze = on");
				statement.execute("set auto_explain.log_buffers = on");
				statement.execute("set auto_explain.log_nested_statements = on");
				statement.execute("set client_min_messages = log");
				List<String> logged = new ArrayList<>();
				try {
					try (ResultSet rs = statement.executeQuery(sql)) {
						while (rs.next()) {
							// every row, as the report reads them
						}
						// The server's log messages arrive as warnings.
						for (SQLWarning warning = rs.getWarnings(); warning != null; warning = warning
							.getNextWarning()) {
							logged.add(warning.getMessage());
						}
					}
					for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning
						.getNextWarning()) {
						logged.add(warning.getMessage());
					}
				}
				finally {
					statement.execute("reset client_min_messages");
					statement.execute("reset auto_explain.log_min_duration");
				}
				return logged;
			}
		});
		List<Double> times = new ArrayList<>();
		long rows = 0;
		for (int i = 0; i < 3; i++) {
			long started = System.nanoTime();
			rows = this.jdbc.query(sql, (rs) -> {
				long n = 0;
				while (rs.next()) {
					n++;
				}
				return n;
			});
			times.add(seconds(started) * 1000);
		}
		double best = times.stream().mapToDouble(Double::doubleValue).min().orElse(0);
		System.out.printf(Locale.ROOT, "%n== %s: %,d rows, wall %.1f ms first, %.1f ms best of 3%n%s%n", title, rows,
				times.get(0), best, sql);
		// The function bodies' text, indented by tabs, would drown the plans.
		plans.stream()
			.filter((message) -> message.contains("plan:"))
			.flatMap(String::lines)
			.filter((line) -> !line.isBlank() && !line.startsWith("\t"))
			.forEach((line) -> System.out.println("  " + line));
		return best;
	}

	private long count(String sql) {
		return this.jdbc.queryForObject(sql, Long.class);
	}

	private static double seconds(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1e9;
	}

}
