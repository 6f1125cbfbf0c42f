package dev.treesum.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.treesum.TreesumSpringTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Prints the plans and wall times of the report queries on two generated scans of ten
 * million entries each (by default a million; {@code -Dbenchmark.files=10000000}), laid
 * out as treesum lays them out: scans made by {@code treesum_create_scan}, a dictionary
 * of paths, shapes, each scan's entries and errors in a partition of their own, vacuumed
 * and analyzed as a completed scan is. Between the two scans, a few thousand changes of
 * every kind (attributes and touched included), files gone unreadable, one file in ten
 * with a copy, hard links, and verification ages as rolling re-verification leaves them;
 * around them a history of two thousand pruned scans of other hosts and a few kept ones.
 * Each figure is printed beside its target; it does not pass or fail. Run with
 * {@code ./mvnw test -Dtest=ReportQueryBenchmark}; {@code -Dbenchmark.history=2000} sizes
 * the history. With {@code -Dbenchmark.keep=true} and {@code TREESUM_TEST_DATABASE_URL}
 * naming a server, the generated scans stay there for experiments in psql.
 */
@TreesumSpringTest
class ReportQueryBenchmark {

	private static final int FILES = Integer.getInteger("benchmark.files", 1_000_000);

	private static final int HISTORY = Integer.getInteger("benchmark.history", 2000);

	private static final int PARTITIONS = 8;

	private static final String HOST = "report-benchmark";

	private static final String ROOT = "/bench/nas";

	/**
	 * Scans of the benchmark's series before the two measured ones, one a day, pruned.
	 */
	private static final int EARLIER = 40;

	/**
	 * Where entry {@code i} lies: its partition {@code p} (chunks of 500 interleaved as
	 * eight partitions' writers leave them), its number {@code k} within the partition,
	 * its kind (a directory before every 49 files, a symlink in a thousand), its path,
	 * and its content number (one file in ten has a copy; a thousand files hold the same
	 * content; empty files; files 521 and 522 of each thousand are hard links).
	 */
	private static final String LAYOUT = "lateral (select (i / 500) % 8 as p, (i / 4000) * 500 + i % 500 as k) w, "
			+ "lateral (select case when w.k % 50 = 0 then 'd' when w.k % 1000 = 7 then 'l' else 'f' end as kind, "
			+ "'" + ROOT + "/p' || w.p || '/home/user' || lpad((w.k / 2000)::text, 4, '0') || '/documents/' "
			+ "|| lpad(((w.k / 50) % 40)::text, 2, '0') as dir, (w.k / 2000) % 4 as owner, "
			+ "i % 1000 in (521, 522) as linked, i % 5000 = 4999 as unreadable, "
			+ "case when i % 1000 = 998 then -1 when i % 10000 = 5 then 5 when i % 20 = 2 or i % 1000 = 522 then i - 1 "
			+ "else i end as content) d, "
			+ "lateral (select case when d.kind = 'd' then d.dir else d.dir || '/file-' || lpad(w.k::text, 8, '0') "
			+ "|| (array['.jpg', '.pdf', '.txt', '.mkv', '.java'])[1 + i % 5] end as path, "
			+ "case when d.kind = 'd' then 4096 when d.kind = 'l' then 12 when d.content < 0 then 0 "
			+ "else floor(exp((abs(hashint8(d.content)::bigint) % 1500) / 100.0))::bigint end as size, "
			+ "case when i % 1000 = 13 then 35 else abs(hashint8(i + 7)::bigint) % 10 end as base_age) t";

	/**
	 * What the later scan finds of entry {@code i}: one file in 500 of each kind of
	 * change, some gone unreadable, one turned into a directory; the rest carried over or
	 * re-read, the oldest tenth re-read as {@code --reverify 10} would.
	 */
	private static final String CHANGE = "lateral (select case when not ?::boolean or d.kind <> 'f' or d.unreadable "
			+ "then 'same' when i % 500 = 1 then 'deleted' when i % 500 = 2 then 'modified' when i % 500 = 3 "
			+ "then 'corrupted' when i % 500 = 4 then 'moved' when i % 500 = 5 then 'touched' when i % 500 = 6 "
			+ "then 'chmod' when i % 500 = 7 then 'chown' when i % 5000 = 2499 then 'unreadable' when i % 100000 = 77 "
			+ "then 'directory' when t.base_age = 9 then 'reverified' else 'carried' end as change) c";

	@Autowired
	private JdbcTemplate jdbc;

	private final List<String> results = new ArrayList<>();

	@Test
	void reportQueriesOnTwoLargeScansOfOneSeries() {
		long started = System.nanoTime();
		history();
		int series = series();
		int base = scan("now() - interval '1 day'");
		int scan = scan("now() - interval '1 hour'");
		shapes();
		paths(series, base, scan);
		entries(base, false);
		entries(scan, true);
		errors(base, false);
		errors(scan, true);
		totals(base);
		totals(scan);
		long vacuumStarted = System.nanoTime();
		// As a completed scan leaves its entries: analyzed, and vacuumed so that they are
		// all visible.
		this.jdbc.execute("vacuum (analyze) treesum_entry_" + base + ", treesum_entry_" + scan + ", treesum_error_"
				+ base + ", treesum_error_" + scan + ", treesum_path_" + series);
		this.jdbc.execute("analyze treesum_shape, treesum_scan, treesum_partition, treesum_series");
		System.out.printf(Locale.ROOT, "vacuum analyze: %.0f s%n", seconds(vacuumStarted));
		System.out.printf(Locale.ROOT, "%nReport query benchmark: %s%n",
				this.jdbc.queryForObject("select version()", String.class));
		System.out.printf(Locale.ROOT, "work_mem %s, shared_buffers %s; generated in %.0f s%n",
				this.jdbc.queryForObject("show work_mem", String.class),
				this.jdbc.queryForObject("show shared_buffers", String.class), seconds(started));
		System.out.printf(Locale.ROOT,
				"scans %d (base) and %d: %,d and %,d entries; %,d paths in the series' dictionary; %,d shapes; "
						+ "%,d scans in all%n",
				base, scan, count("select count(*) from treesum_entry_" + base),
				count("select count(*) from treesum_entry_" + scan),
				count("select count(*) from treesum_path_" + series), count("select count(*) from treesum_shape"),
				count("select count(*) from treesum_scan"));
		System.out.printf(Locale.ROOT, "sizes: entries %s and %s, dictionary %s%n", size("treesum_entry_" + base),
				size("treesum_entry_" + scan), size("treesum_path_" + series));
		System.out.printf(Locale.ROOT, "changes by kind: %s%n", this.jdbc.queryForList(
				"select change, count(*) from treesum_changes(?, ?, true) group by 1 order by 1", scan, base));

		measure("report changes", 20, "select change, path, previous_path, size, previous_digest, digest "
				+ "from treesum_changes(?, ?) order by path, change", scan, base);
		measure("report changes --include-touched", 20, "select change, path, previous_path, size, previous_digest, "
				+ "digest from treesum_changes(?, ?, true) order by path, change", scan, base);
		measure("report duplicates", 20, "select \"group\", digest, size, path from treesum_duplicates(?, ?)", scan,
				false);
		measure("report duplicates --all-hosts", 0,
				"select \"group\", digest, size, host, path from treesum_duplicates_latest(?)", false);
		measure("report errors", 0, "select path, status, error from treesum_errors where scan_id = ? order by path",
				scan);
		measure("report stale", 0, "select path, size, verified_at, verified_scan from treesum_stale(?, ?::interval)",
				scan, "30 days");
		measure("report summary (partitions)", 0,
				"select * from treesum_partition_status where scan_id = ? order by length(name), name", scan);
		measure("report summary (verification)", 0, "select * from treesum_verification(?)", scan);
		measure("status (newest 20 scans)", 0, "select * from treesum_scan_status order by scan_id desc limit 20");
		measure("status of one scan", 0, "select * from treesum_scan_status where scan_id = ?", scan);
		measure("latest completed scan (default --scan)", 0,
				"select max(scan_id) from treesum_scan_status where state = 'COMPLETED'");
		measure("treesum_previous_scan (default --base)", 0, "select treesum_previous_scan(?)", scan);

		System.out.printf(Locale.ROOT, "%n%,d entries a scan: wall time, best of 3       target%n", FILES);
		this.results.forEach(System.out::println);
	}

	@AfterEach
	void dropTheGeneratedScans() {
		if (Boolean.getBoolean("benchmark.keep")) {
			return;
		}
		List<Integer> scans = this.jdbc.queryForList(
				"select id from treesum_scan where host like 'bench-%' or host = ? order by id", Integer.class, HOST);
		for (int scanId : scans) {
			this.jdbc.queryForObject("select treesum_drop_entries(?)", Boolean.class, scanId);
		}
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
		for (int series : this.jdbc.queryForList(
				"delete from treesum_series where host like 'bench-%' or host = ? returning id", Integer.class, HOST)) {
			this.jdbc.execute("drop table if exists treesum_path_" + series);
		}
	}

	/**
	 * Two thousand earlier scans of four hosts' roots, eight partitions each, with the
	 * job and step rows the status views join, pruned as {@code prune} leaves them; and
	 * the two newest of each host kept, with a thousand entries each.
	 */
	private void history() {
		long started = System.nanoTime();
		for (int host = 0; host < 4; host++) {
			this.jdbc.update("insert into treesum_series (host, roots_key) values (?, ?)", "bench-" + host,
					"/history/" + host);
		}
		int[] seriesIds = new int[4];
		for (int host = 0; host < 4; host++) {
			seriesIds[host] = this.jdbc.queryForObject("select id from treesum_series where host = ?", Integer.class,
					"bench-" + host);
		}
		for (int i = 0; i < HISTORY; i++) {
			int host = i % 4;
			int seriesId = seriesIds[host];
			int scanId = this.jdbc.queryForObject(
					"insert into treesum_scan (series_id, series_no, host, roots, "
							+ "roots_key, algorithm, created_at, pruned_at) values (?, ?, ?, ?, ?, 'sha256', "
							+ "now() - interval '1 day' * ?, now()) returning id",
					Integer.class, seriesId, i / 4 + 1, "bench-" + host, new String[] { "/history/" + host },
					"/history/" + host, HISTORY - i + 2);
			jobRecords(scanId, HISTORY - i + 2);
			partitions(scanId, "/history/" + host);
		}
		for (int host = 0; host < 4; host++) {
			int seriesId = seriesIds[host];
			for (int kept = 0; kept < 2; kept++) {
				int scanId = createScan("bench-" + host, "/history/" + host, false);
				this.jdbc.update("update treesum_scan set created_at = now() - interval '1 day' * ? where id = ?",
						2 - kept, scanId);
				jobRecords(scanId, 2 - kept);
				partitions(scanId, "/history/" + host);
				if (kept == 0) {
					this.jdbc.update("insert into treesum_path (series_id, path_no, path) select ?, i + 1, "
							+ "convert_to('/history/' || ? || '/file-' || i, 'UTF8') from generate_series(0, 999) i",
							seriesId, host);
				}
				this.jdbc.update("insert into treesum_shape (part, kind, mode, uid, gid, links) "
						+ "values (0, 'f', 33188, 0, 0, 1) on conflict do nothing");
				this.jdbc.update("insert into treesum_entry_" + scanId + " (size, mtime_ns, ctime_ns, inode, scan_id, "
						+ "path_no, shape_id, verified_age, status, content) select i, i, i, i, ?, i + 1, sh.id, ?, "
						+ "'o', sha256(int8send(i % 900)) from generate_series(0, 999) i, treesum_shape sh "
						+ "where (sh.part, sh.kind, sh.mode, sh.uid, sh.gid, sh.links) = (0, 'f', 33188, 0, 0, 1)",
						scanId, kept);
				this.jdbc.execute("vacuum (analyze) treesum_entry_" + scanId);
			}
		}
		System.out.printf(Locale.ROOT, "history of %,d scans: %.0f s%n", HISTORY, seconds(started));
	}

	/**
	 * Return the benchmark's series, with {@value #EARLIER} earlier scans, one a day,
	 * whose entries were pruned; the two measured scans verified some files in them.
	 */
	private int series() {
		int seriesId = this.jdbc.queryForObject(
				"insert into treesum_series (host, roots_key) values (?, ?) returning id", Integer.class, HOST, ROOT);
		for (int no = 1; no <= EARLIER; no++) {
			int scanId = this.jdbc.queryForObject(
					"insert into treesum_scan (series_id, series_no, host, roots, roots_key, algorithm, "
							+ "incremental, reverify_percent, created_at, pruned_at) values (?, ?, ?, ?, ?, "
							+ "'sha256', true, 10, now() - interval '1 day' * ?, now()) returning id",
					Integer.class, seriesId, no, HOST, new String[] { ROOT }, ROOT, EARLIER + 2 - no);
			jobRecords(scanId, EARLIER + 2 - no);
			partitions(scanId, ROOT);
		}
		return seriesId;
	}

	/**
	 * Create one of the two measured scans through {@code treesum_create_scan}, as a
	 * completed scan of eight partitions.
	 */
	private int scan(String createdAt) {
		int scanId = createScan(HOST, ROOT, true);
		this.jdbc.update("update treesum_scan set created_at = " + createdAt + " where id = ?", scanId);
		jobRecords(scanId, 0);
		partitions(scanId, ROOT);
		return scanId;
	}

	private int createScan(String host, String root, boolean incremental) {
		return this.jdbc.queryForObject("select treesum_create_scan(?, ?, ?, 'sha256', '{}', false, 0, ?, ?::real)",
				Integer.class, host, new String[] { root }, root, incremental, incremental ? 10 : null);
	}

	/**
	 * The job instance, execution, manager and partition step executions of a completed
	 * scan, started {@code daysAgo} days ago and an hour long.
	 */
	private void jobRecords(int scanId, int daysAgo) {
		long instance = count("select nextval('batch_job_instance_seq')");
		this.jdbc.update("insert into batch_job_instance (job_instance_id, version, job_name, job_key) "
				+ "values (?, 0, 'treesumScan', md5(?::text))", instance, scanId);
		long execution = count("select nextval('batch_job_execution_seq')");
		String start = "(now() - interval '1 day' * " + daysAgo + ")";
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
		this.jdbc.update("update treesum_scan set job_instance_id = ? where id = ?", instance, scanId);
	}

	private void partitions(int scanId, String root) {
		this.jdbc.update("insert into treesum_partition (scan_id, part, name, root, mountpoint, device, fs_type, "
				+ "source, disk, io_concurrency, files, bytes, errors, bytes_read) select ?, p, 'partition-' || p, "
				+ "convert_to(? || '/p' || p, 'UTF8'), convert_to(? || '/p' || p, 'UTF8'), '8:' || p, 'ext4', "
				+ "'/dev/sd' || chr(97 + p), 'sd' || chr(97 + p), 1, 125000, 1000000000, 0, 1000000000 "
				+ "from generate_series(0, ?) p", scanId, root, root, PARTITIONS - 1);
	}

	/**
	 * The shapes of the benchmark's entries: per partition and owner, files with one and
	 * two links, directories, symlinks, and the files a chmod or a chown changed.
	 */
	private void shapes() {
		this.jdbc.update(
				"insert into treesum_shape (part, kind, mode, uid, gid, links) "
						+ "select p, s.kind, s.mode, 1000 + o, 1000, s.links from generate_series(0, ?) p, "
						+ "generate_series(0, 3) o, (values ('f', 33188, 1), ('f', 33188, 2), ('f', 33152, 1), "
						+ "('d', 16877, 2), ('l', 41471, 1)) s (kind, mode, links) on conflict do nothing",
				PARTITIONS - 1);
	}

	/**
	 * The series' dictionary: every path of the base scan, numbered in walk order as the
	 * writers number them (a path in a thousand is not UTF-8), then the later scan's new
	 * paths: the moved files' and two thousand added files'.
	 */
	private void paths(int seriesId, int base, int scan) {
		long started = System.nanoTime();
		this.jdbc.update("insert into treesum_path_" + seriesId + " (series_id, path_no, path) "
				+ "select ?, i + 1, case when i % 1000 = 99 then convert_to(t.path || '-caf' || chr(233), 'LATIN1') "
				+ "else convert_to(t.path, 'UTF8') end from generate_series(0, ?::bigint - 1) i, " + LAYOUT, seriesId,
				FILES);
		this.jdbc.update("insert into treesum_path_" + seriesId + " (series_id, path_no, path) "
				+ "select ?, ?::bigint + 1 + i / 500, convert_to(replace(t.path, '/documents/', '/archive/'), 'UTF8') "
				+ "from generate_series(0, ?::bigint - 1) i, " + LAYOUT + ", " + CHANGE + " where c.change = 'moved'",
				seriesId, FILES, FILES, true);
		this.jdbc.update("insert into treesum_path_" + seriesId + " (series_id, path_no, path) "
				+ "select ?, ?::bigint * 2 + i, convert_to('" + ROOT + "/p' || (i % 8) || '/home/new/file-' || i "
				+ "|| '.dat', 'UTF8') from generate_series(1, 2000) i", seriesId, FILES);
		System.out.printf(Locale.ROOT, "dictionary of paths: %.0f s%n", seconds(started));
	}

	/**
	 * One scan's entries, in the order its writers store them; the later scan's with its
	 * changes and its two thousand added files (every tenth a copy of a base file).
	 */
	private void entries(int scanId, boolean later) {
		long started = System.nanoTime();
		this.jdbc.update("insert into treesum_entry_" + scanId + " (size, mtime_ns, ctime_ns, inode, scan_id, "
				+ "path_no, shape_id, verified_age, status, content) "
				+ "select t.size + case when c.change = 'modified' then 100 else 0 end, "
				+ "1700000000000000000 + i * 1000003 + case when c.change in ('modified', 'touched') then 1000000000 "
				+ "else 0 end, 1700000000000000000 + i * 1000003 + case when c.change in ('modified', 'touched', "
				+ "'moved', 'chmod', 'chown') then 1000000000 else 0 end, "
				+ "case when d.linked then i - (i % 1000 - 521) else i end + 1, ?, "
				+ "case when c.change = 'moved' then ?::bigint + 1 + i / 500 else i + 1 end, sh.id, "
				+ "case when d.kind <> 'f' or d.unreadable or c.change in ('unreadable', 'directory') then null "
				+ "when not ?::boolean then t.base_age when c.change in ('carried') then least(t.base_age + 1, 99) "
				+ "else 0 end, case when d.unreadable or c.change = 'unreadable' then 'u' else 'o' end, "
				+ "case when d.kind = 'l' then convert_to('../t-' || lpad((i % 1000000)::text, 6, '0'), 'UTF8') "
				+ "when d.kind <> 'f' or d.unreadable or c.change in ('unreadable', 'directory') then null "
				+ "when c.change in ('modified', 'corrupted') then sha256(convert_to('changed ' || i, 'UTF8')) "
				+ "when d.content < 0 then sha256('') else sha256(int8send(d.content)) end "
				+ "from generate_series(0, ?::bigint - 1) i, " + LAYOUT + ", " + CHANGE + ", treesum_shape sh "
				+ "where c.change <> 'deleted' and sh.part = w.p "
				+ "and sh.kind = case when c.change = 'directory' then 'd' else d.kind end "
				+ "and sh.mode = case when c.change = 'directory' then 16877 when d.kind = 'd' then 16877 "
				+ "when d.kind = 'l' then 41471 when c.change = 'chmod' then 33152 else 33188 end "
				+ "and sh.uid = 1000 + case when c.change = 'chown' then (d.owner + 1) % 4 else d.owner end "
				+ "and sh.gid = 1000 and sh.links = case when d.kind = 'd' or c.change = 'directory' or d.linked "
				+ "then 2 else 1 end order by i", scanId, FILES, later, FILES, later);
		if (later) {
			this.jdbc.update("insert into treesum_entry_" + scanId + " (size, mtime_ns, ctime_ns, inode, scan_id, "
					+ "path_no, shape_id, verified_age, status, content) select floor(exp((abs(hashint8(a.content)"
					+ "::bigint) % 1500) / 100.0))::bigint, 1800000000000000000 + i, 1800000000000000000 + i, "
					+ "?::bigint + i, ?, ?::bigint * 2 + i, sh.id, 0, 'o', sha256(int8send(a.content)) "
					+ "from generate_series(1, 2000::bigint) i, lateral (select case when i % 10 = 0 then i * 20 + 3 "
					+ "else -i end as content) a, treesum_shape sh "
					+ "where (sh.part, sh.kind, sh.mode, sh.uid, sh.gid, sh.links) = (i % 8, 'f', 33188, 1000, 1000, 1)",
					FILES, scanId, FILES);
		}
		System.out.printf(Locale.ROOT, "entries of scan %d: %.0f s%n", scanId, seconds(started));
	}

	private void errors(int scanId, boolean later) {
		this.jdbc.update("insert into treesum_error_" + scanId + " (scan_id, path_no, message) select ?, i + 1, "
				+ "'Permission denied' from generate_series(0, ?::bigint - 1) i, " + LAYOUT + ", " + CHANGE
				+ " where d.kind = 'f' and (d.unreadable or c.change = 'unreadable')", scanId, FILES, later);
	}

	private void totals(int scanId) {
		this.jdbc.update("update treesum_partition p set files = t.files, bytes = t.bytes, errors = t.errors, "
				+ "bytes_read = t.bytes_read from (select sh.part, count(*) as files, coalesce(sum(e.size) "
				+ "filter (where sh.kind = 'f'), 0) as bytes, count(*) filter (where e.status <> 'o') as errors, "
				+ "coalesce(sum(e.size) filter (where sh.kind = 'f' and e.verified_age = 0), 0) as bytes_read "
				+ "from treesum_entry e join treesum_shape sh on sh.id = e.shape_id where e.scan_id = ? "
				+ "group by sh.part) t where p.scan_id = ? and p.part = t.part", scanId, scanId);
	}

	/**
	 * Print the plan with its actual times and buffers, then the wall time of running the
	 * query to its last row: the first run and the best of three. The plan comes from
	 * auto_explain, which also shows the plans inside the report functions (EXPLAIN shows
	 * a function that is not inlined as one Function Scan).
	 * @param targetSeconds the target, or 0 for none
	 */
	private void measure(String title, int targetSeconds, String sql, Object... arguments) {
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
					try (PreparedStatement query = connection.prepareStatement(sql)) {
						for (int i = 0; i < arguments.length; i++) {
							query.setObject(i + 1, arguments[i]);
						}
						try (ResultSet rs = query.executeQuery()) {
							while (rs.next()) {
								// every row, as the report reads them
							}
							// The server's log messages arrive as warnings.
							for (SQLWarning warning = rs.getWarnings(); warning != null; warning = warning
								.getNextWarning()) {
								logged.add(warning.getMessage());
							}
						}
						for (SQLWarning warning = query.getWarnings(); warning != null; warning = warning
							.getNextWarning()) {
							logged.add(warning.getMessage());
						}
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
			}, arguments);
			times.add(seconds(started));
		}
		double best = times.stream().mapToDouble(Double::doubleValue).min().orElse(0);
		System.out.printf(Locale.ROOT, "%n== %s: %,d rows, wall %.3f s first, %.3f s best of 3%n%s%n", title, rows,
				times.get(0), best, sql);
		// The function bodies' text, indented by tabs, would drown the plans.
		plans.stream()
			.filter((message) -> message.contains("plan:"))
			.flatMap(String::lines)
			.filter((line) -> !line.isBlank() && !line.startsWith("\t"))
			.forEach((line) -> System.out.println("  " + line));
		this.results.add(String.format(Locale.ROOT, "%-40s %9.3f s %10s %,12d rows", title, best,
				(targetSeconds > 0) ? "< " + targetSeconds + " s" : "", rows));
	}

	private String size(String table) {
		return this.jdbc.queryForObject("select pg_size_pretty(pg_total_relation_size(?::regclass))", String.class,
				table);
	}

	private long count(String sql) {
		return this.jdbc.queryForObject(sql, Long.class);
	}

	private static double seconds(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1e9;
	}

}
