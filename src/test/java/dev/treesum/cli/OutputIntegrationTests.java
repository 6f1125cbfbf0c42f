package dev.treesum.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import dev.treesum.TreesumSpringTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the commands write, where a user sends it: a full disk, a pipe that closes, a
 * file, a terminal; with {@code -q}, as CSV and JSON, as a completion script, as a
 * version. Scans run in this JVM; the commands under test run in child JVMs where their
 * real standard streams matter.
 */
@TreesumSpringTest
class OutputIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@TempDir
	private Path temp;

	private TreesumCli cli;

	@BeforeEach
	void commandLine() {
		this.cli = new TreesumCli(this.context);
	}

	@Test
	void exportToAFullDiskFailsWithOneLine() throws Exception {
		Path root = this.temp.resolve("tree");
		TestTrees.mixedFiles(root, 20, 1);
		long scan = this.cli.scan(root.toString());
		Path stderr = this.temp.resolve("stderr");

		Process export = TreesumProcess.against("export", "--scan", Long.toString(scan))
			.builder(this.temp.resolve("unused"), stderr)
			.redirectOutput(new File("/dev/full"))
			.start();

		assertThat(export.waitFor(2, TimeUnit.MINUTES)).isTrue();
		assertThat(export.exitValue()).isEqualTo(1);
		assertThat(Files.readAllLines(stderr))
			.containsExactly("treesum: cannot write the output: No space left on device");
	}

	@Test
	void exportIntoAPipeThatClosesEndsQuietly() throws Exception {
		Path root = this.temp.resolve("tree");
		Files.createDirectories(root);
		// Far more than the pipe and the buffers hold, so that a write meets the closed
		// pipe.
		for (int i = 0; i < 4000; i++) {
			Files.writeString(root.resolve("a-file-with-a-name-long-enough-to-fill-the-pipe-" + i), "x" + i);
		}
		long scan = this.cli.scan(root.toString());
		Path stderr = this.temp.resolve("stderr");
		ProcessBuilder export = TreesumProcess.against("export", "--scan", Long.toString(scan))
			.builder(this.temp.resolve("unused"), stderr)
			.redirectOutput(ProcessBuilder.Redirect.PIPE);
		ProcessBuilder head = new ProcessBuilder("head", "-1").redirectError(ProcessBuilder.Redirect.INHERIT);

		List<Process> pipeline = ProcessBuilder.startPipeline(List.of(export, head));

		String first = new String(pipeline.get(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(pipeline.get(0).waitFor(2, TimeUnit.MINUTES)).isTrue();
		assertThat(first).matches("[0-9a-f]{64}  " + root + "/a-file-.*\n");
		assertThat(pipeline.get(0).exitValue()).isIn(0, TreesumRunner.CLOSED_PIPE);
		assertThat(Files.readString(stderr)).isEmpty();
	}

	@Test
	void aTableInAFileKeepsLongPathsWhole() throws Exception {
		Path root = this.temp.resolve("tree");
		Path deep = root;
		while (200 - deep.toString().length() > 100) {
			deep = deep.resolve("d".repeat(50));
		}
		Files.createDirectories(deep);
		Path longFile = deep.resolve("f".repeat(200 - deep.toString().length() - 1));
		Files.writeString(longFile, "twice");
		Files.writeString(root.resolve("short"), "twice");
		assertThat(longFile.toString()).hasSize(200);
		long scan = this.cli.scan(root.toString());

		TreesumProcess.Result table = TreesumProcess.against("report", "duplicates", "--scan", Long.toString(scan))
			.env("COLUMNS", "80")
			.run();

		assertThat(table.exitCode()).as(table.toString()).isZero();
		assertThat(table.out()).contains(longFile.toString()).doesNotContain("…");
	}

	@Test
	void quietScanLeavesStandardErrorEmpty() throws Exception {
		Path root = this.temp.resolve("tree");
		TestTrees.mixedFiles(root, 30, 2);

		TreesumProcess.Result loud = TreesumProcess.against("scan", root.toString()).run();
		TreesumProcess.Result quiet = TreesumProcess.against("scan", "--new", "-q", root.toString()).run();
		TreesumProcess.Result quietFirst = TreesumProcess.against("--quiet", "scan", "--new", root.toString()).run();

		assertThat(loud.exitCode()).as(loud.toString()).isZero();
		assertThat(loud.stderr()).contains(": started", ": completed");
		for (TreesumProcess.Result result : List.of(quiet, quietFirst)) {
			assertThat(result.exitCode()).as(result.toString()).isZero();
			assertThat(result.stderr()).isEmpty();
			assertThat(result.out()).matches("scan \\d+ completed: 30 files, .*\n");
		}
	}

	@Test
	void quietAndVerboseTogetherAreAUsageError() {
		TreesumCli.Run run = this.cli.run("status", "-q", "-v");

		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.err()).contains("give -q or -v, not both");
	}

	@Test
	void statusAsCsvAndJsonHasTheRowsOfTheTable() throws Exception {
		Path root = this.temp.resolve("tree");
		TestTrees.mixedFiles(root, 12, 3);
		long scan = this.cli.scan(root.toString());

		String csv = this.cli.run("status", Long.toString(scan), "--format", "csv").out();
		JsonNode json = new ObjectMapper().readTree(this.cli.run("status", "--format", "json", "--limit", "5").out());
		String table = this.cli.run("status", Long.toString(scan)).out();

		List<String> lines = csv.lines().toList();
		assertThat(lines.get(0))
			.isEqualTo("id,host,state,attempts,partitions,files,bytes,errors,started,duration,owner,heartbeat,roots");
		assertThat(lines).hasSize(2);
		assertThat(lines.get(1)).startsWith(scan + ",").contains(",COMPLETED,1,1/1,12,").endsWith("," + root);
		assertThat(json.isArray()).isTrue();
		JsonNode newest = json.get(0);
		assertThat(newest.path("id").asLong()).isEqualTo(scan);
		assertThat(newest.path("files").asLong()).isEqualTo(12);
		assertThat(newest.path("state").asText()).isEqualTo("COMPLETED");
		assertThat(newest.path("roots").asText()).isEqualTo(root.toString());
		assertThat(newest.path("duration").isNumber()).isTrue();
		assertThat(table).contains("ID", "STATE", "COMPLETED", "PARTITION", "partition-0");
	}

	@Test
	void completionScriptCompletesTheCommandsInBash() throws Exception {
		TreesumCli.Run completion = this.cli.run("generate-completion");
		assertThat(completion.exitCode()).as(completion.toString()).isZero();
		Path script = this.temp.resolve("treesum-completion.bash");
		Files.write(script, completion.bytes());

		String completed = TestTrees.sh("bash -c '. \"$1\"; COMP_WORDS=(treesum re); COMP_CWORD=1; "
				+ "COMP_LINE=\"treesum re\"; COMP_POINT=${#COMP_LINE}; _complete_treesum 2>/dev/null; echo \"${COMPREPLY[@]}\"' "
				+ "bash " + script);
		String options = TestTrees.sh("bash -c '. \"$1\"; COMP_WORDS=(treesum export --f); COMP_CWORD=2; "
				+ "COMP_LINE=\"treesum export --f\"; COMP_POINT=${#COMP_LINE}; _complete_treesum 2>/dev/null; "
				+ "echo \"${COMPREPLY[@]}\"' bash " + script);

		assertThat(completed.strip().split("\\s+")).containsExactlyInAnyOrder("report", "restart");
		assertThat(options.strip()).isEqualTo("--format");
	}

	@Test
	void versionIsTheBuildsFromTheClassesAsTheContainerImageRunsThem() throws Exception {
		TreesumProcess.Result version = TreesumProcess.against("--version").run();

		assertThat(version.exitCode()).isZero();
		assertThat(version.out()).isEqualTo("treesum " + System.getProperty("treesum.version") + "\n");
	}

	@Test
	void theProgressBarShowsOnATerminalAndNowhereElse() throws Exception {
		Path root = this.temp.resolve("tree");
		TestTrees.mixedFiles(root, 40, 4);
		TreesumProcess scan = TreesumProcess.against("scan", "--new", "--treesum.pause-per-file=20ms", root.toString());
		Path stdout = this.temp.resolve("stdout");
		Path stderr = this.temp.resolve("stderr");
		ProcessBuilder builder = scan.builder(stdout, stderr);
		StringBuilder command = new StringBuilder();
		for (String word : builder.command()) {
			command.append('\'').append(word.replace("'", "'\\''")).append("' ");
		}
		for (Map.Entry<String, String> variable : Map
			.of("SPRING_DATASOURCE_URL", builder.environment().get("SPRING_DATASOURCE_URL"),
					"SPRING_DATASOURCE_USERNAME", "postgres")
			.entrySet()) {
			command.insert(0, variable.getKey() + "='" + variable.getValue() + "' ");
		}

		// script runs the command on a new pseudo-terminal and copies what it shows.
		Process terminal = new ProcessBuilder("script", "-qec", command.toString(), "/dev/null")
			.redirectErrorStream(true)
			.start();
		String shown = new String(terminal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(terminal.waitFor(2, TimeUnit.MINUTES)).isTrue();
		TreesumProcess.Result inFiles = TreesumProcess
			.against("scan", "--new", "--treesum.pause-per-file=20ms", root.toString())
			.timeout(Duration.ofMinutes(2))
			.run();

		assertThat(terminal.exitValue()).as(shown).isZero();
		assertThat(shown).contains("partition-0 ", "/tree", "MiB/s", "\033[K", "█")
			.containsPattern("\\d+ files, ")
			.containsPattern("scan \\d+ completed: 40 files");
		assertThat(inFiles.exitCode()).as(inFiles.toString()).isZero();
		assertThat(inFiles.stderr()).contains(": started", ": completed").doesNotContain("\033", "█", "\r");
	}

	@Test
	void dbServeEndsOnSigintAndStopsItsServer() throws Exception {
		Path home = this.temp.resolve("home");
		Path stderr = this.temp.resolve("stderr");
		// A shell may have started this JVM with SIGINT ignored, which its children would
		// inherit: perl gives the command the default disposition back.
		Process serve = TreesumProcess.embedded(home, "db", "--serve")
			.through("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die")
			.builder(this.temp.resolve("stdout"), stderr)
			.start();
		try {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
			while (!Files.readString(stderr).contains("Serving until interrupted") && serve.isAlive()
					&& System.nanoTime() < deadline) {
				Thread.sleep(200);
			}
			assertThat(Files.readString(stderr)).contains("Serving until interrupted");
			assertThat(postgresServing(home)).isNotEmpty();

			long signalled = System.nanoTime();
			TestTrees.sh("kill -INT " + serve.pid());

			assertThat(serve.waitFor(5, TimeUnit.SECONDS)).as("ended within 5 s").isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(5));
			assertThat(serve.exitValue()).isEqualTo(130);
			assertThat(postgresServing(home)).as("no server left on the data directory").isEmpty();
			assertThat(Files.readString(stderr)).doesNotContain("resume", "Exception");
			assertThat(home.resolve("pgdata/postmaster.pid")).doesNotExist();
		}
		finally {
			serve.destroyForcibly();
		}
	}

	/**
	 * Return the processes that serve PostgreSQL on the data directory under a home.
	 */
	private static List<Long> postgresServing(Path home) throws Exception {
		String dataDirectory = home.resolve("pgdata").toString();
		List<Long> servers = new ArrayList<>();
		ProcessHandle.allProcesses().forEach((process) -> {
			try {
				String commandLine = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
					.replace('\0', ' ');
				if (commandLine.contains("postgres") && commandLine.contains("-D " + dataDirectory + " ")) {
					servers.add(process.pid());
				}
			}
			catch (Exception ex) {
				// gone meanwhile, or not ours to read
			}
		});
		return servers;
	}

}
