package dev.treesum.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.treesum.ExitCode;
import dev.treesum.TestTrees;
import dev.treesum.TreesumSpringTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code treesum scan} end to end against PostgreSQL: real trees, real digests checked
 * against the system's {@code sha256sum}, the job repository's record of the partitions.
 */
@TreesumSpringTest
class ScanCommandIntegrationTests {

	private static final Pattern SUMMARY = Pattern.compile("scan (\\d+) completed: ([\\d,]+) files");

	@Autowired
	private ObjectProvider<TreesumCommand> command;

	@Autowired
	private IFactory factory;

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	private Path temp;

	@Test
	void checksumsEveryFileOfTwoRootsWithOneStepExecutionPerRoot() throws Exception {
		Path first = this.temp.resolve("first");
		Path second = this.temp.resolve("second");
		TestTrees.mixedFiles(first, 300, 1);
		TestTrees.mixedFiles(second, 200, 2);

		Run run = run("scan", "--threads", "2", first.toString(), second.toString());

		assertThat(run.exitCode).as(run.toString()).isZero();
		long scanId = run.scanId();
		assertThat(run.lastLine()).contains("500 files");
		Map<String, String> expected = TestTrees.sha256sums(first);
		expected.putAll(TestTrees.sha256sums(second));
		assertThat(expected).hasSize(500);
		Map<String, String> stored = this.jdbc
			.queryForList("select path_text, digest from treesum_file where scan_id = ? and kind = 'file'", scanId)
			.stream()
			.collect(Collectors.toMap((row) -> (String) row.get("path_text"),
					(row) -> HexFormat.of().formatHex((byte[]) row.get("digest"))));
		assertThat(stored.keySet()).isEqualTo(expected.keySet());
		assertThat(stored.entrySet()).as("digests that differ from sha256sum's")
			.filteredOn((entry) -> !entry.getValue().equals(expected.get(entry.getKey())))
			.isEmpty();
		List<Map<String, Object>> steps = this.jdbc
			.queryForList("select se.step_name, se.status, se.write_count from batch_step_execution se "
					+ "join batch_job_execution je on je.job_execution_id = se.job_execution_id "
					+ "join treesum_scan s on s.job_instance_id = je.job_instance_id "
					+ "where s.id = ? and se.step_name like 'mountStep:%' order by se.step_name", scanId);
		assertThat(steps)
			.extracting((row) -> row.get("step_name"), (row) -> row.get("status"), (row) -> row.get("write_count"))
			.containsExactly(tuple("mountStep:partition-0", "COMPLETED", 300L),
					tuple("mountStep:partition-1", "COMPLETED", 200L));
	}

	@Test
	void hashesWithTheChosenAlgorithm() throws Exception {
		Path root = this.temp.resolve("root");
		TestTrees.mixedFiles(root, 20, 3);
		String expected = TestTrees.sh("md5sum " + root.resolve("d1/e1/f1.bin")).substring(0, 32);

		Run run = run("scan", "--algorithm", "md5", root.toString());

		assertThat(run.exitCode).as(run.toString()).isZero();
		byte[] digest = this.jdbc.queryForObject("select digest from treesum_file where scan_id = ? and path_text = ?",
				byte[].class, run.scanId(), root.resolve("d1/e1/f1.bin").toString());
		assertThat(HexFormat.of().formatHex(digest)).isEqualTo(expected);
	}

	@Test
	void rejectsAnUnknownAlgorithmAsAUsageError() throws Exception {
		Run run = run("scan", "--algorithm", "crc7", this.temp.toString());

		assertThat(run.exitCode).isEqualTo(ExitCode.USAGE.code());
		assertThat(run.err).contains("unknown algorithm 'crc7'").doesNotContain("Exception");
	}

	private Run run(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		CommandLine commandLine = TreesumRunner.commandLine(this.command.getObject(), this.factory);
		commandLine.setOut(new PrintWriter(out));
		commandLine.setErr(new PrintWriter(err));
		int exitCode = commandLine.execute(args);
		return new Run(exitCode, out.toString(), err.toString());
	}

	private record Run(int exitCode, String out, String err) {

		String lastLine() {
			List<String> lines = this.out.lines().toList();
			return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
		}

		long scanId() {
			Matcher matcher = SUMMARY.matcher(lastLine());
			assertThat(matcher.find()).as(toString()).isTrue();
			return Long.parseLong(matcher.group(1));
		}

	}

}
