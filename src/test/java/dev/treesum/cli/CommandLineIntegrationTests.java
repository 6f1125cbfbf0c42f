package dev.treesum.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.treesum.ExitCode;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command as a user runs it, in child JVMs with the embedded database: the data
 * outlives the process that wrote it, the server stops with the command, and asking for
 * help starts nothing.
 */
class CommandLineIntegrationTests {

	@TempDir
	private Path temp;

	@Test
	void exportFromASecondProcessIsAcceptedBySha256sum() throws Exception {
		Path home = this.temp.resolve("home");
		Path root = this.temp.resolve("tree");
		TestTrees.mixedFiles(root, 60, 7);
		Files.createDirectories(root.resolve("odd"));
		Files.writeString(root.resolve("odd/back\\slash"), "b");
		Files.writeString(root.resolve("odd/new\nline"), "n");
		Files.writeString(root.resolve("odd/with space"), "s");

		TreesumProcess.Result scan = TreesumProcess.embedded(home, "scan", root.toString()).run();
		assertThat(scan.exitCode()).as(scan.toString()).isZero();
		assertThat(scan.out().strip()).matches("scan \\d+ completed: 63 files, .*");
		assertThat(home.resolve("pgdata/postmaster.pid")).as("the server stopped with the command").doesNotExist();

		TreesumProcess.Result export = TreesumProcess.embedded(home, "export", "--format", "sha256sum").run();
		assertThat(export.exitCode()).as(export.toString()).isZero();
		Path sums = this.temp.resolve("sums.txt");
		Files.write(sums, export.stdout());
		assertThat(export.out().lines()).hasSize(63);
		Process check = new ProcessBuilder("sha256sum", "--check", "--strict", sums.toString())
			.redirectErrorStream(true)
			.start();
		String checked = new String(check.getInputStream().readAllBytes());
		assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(check.exitValue()).as(checked).isZero();
		assertThat(checked.lines().filter((line) -> line.endsWith(": OK"))).hasSize(63);
	}

	@Test
	void helpStartsNoDatabase() throws Exception {
		Path home = this.temp.resolve("home");

		TreesumProcess.Result help = TreesumProcess.embedded(home, "scan", "--help").run();

		assertThat(help.exitCode()).isZero();
		assertThat(help.out()).contains("Usage: treesum scan", "--algorithm", "--exclude", "--threads");
		assertThat(home.resolve("pgdata")).doesNotExist();
	}

	@Test
	void helpVersionAndUsageErrorsStartNoSpringContext() throws Exception {
		Path home = this.temp.resolve("home");
		for (String[] arguments : List.of(new String[] { "--help" }, new String[] { "--version" },
				new String[] { "report", "--help" }, new String[] { "scan", "--no-such-option" },
				new String[] { "scan", "--algorithm", "crc7", "." }, new String[] { "scan", "/no/such/root" },
				new String[] { "scan", "--reverify", "10%", "." },
				new String[] { "scan", "--io-concurrency", "0", "." }, new String[] { "scan", "--all-mounts", "." })) {
			Path classes = this.temp.resolve("classes-" + String.join("-", arguments).replace("/", "") + ".txt");
			TreesumProcess.Result result = TreesumProcess.embedded(home, arguments)
				.env("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classes)
				.run();

			assertThat(result.exitCode()).as(result.toString()).isIn(0, 2);
			assertThat(Files.readString(classes)).as(String.join(" ", arguments))
				.contains("picocli.CommandLine ")
				.doesNotContain("org.springframework.context.support.AbstractApplicationContext")
				.doesNotContain("org.springframework.boot.SpringApplication ");
		}
		assertThat(home.resolve("pgdata")).doesNotExist();
	}

	@Test
	void theServerStartedAlongsideACommandThatEndsBeforeUsingItStopsWithIt() throws Exception {
		Path home = this.temp.resolve("home");
		Path root = Files.createDirectories(this.temp.resolve("tree"));

		// A setting, not an option: found wrong only once the application is built, while
		// the embedded server starts beside it.
		TreesumProcess.Result scan = TreesumProcess.embedded(home, "scan", root.toString())
			.env("TREESUM_IO_CONCURRENCY", "sometimes")
			.run();

		assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.USAGE.code());
		assertThat(scan.stderr()).contains("--io-concurrency must be a number from 1, or auto");
		assertThat(home.resolve("pgdata/postmaster.pid")).as("the server stopped with the command").doesNotExist();
		assertThat(ProcessHandle.allProcesses()
			.filter((process) -> process.info()
				.arguments()
				.map(List::of)
				.orElse(List.of())
				.contains(home.resolve("pgdata").toString())))
			.as("no server left running on the data directory")
			.isEmpty();
	}

	@Test
	void noCommandIsAUsageError() throws Exception {
		Path home = this.temp.resolve("home");

		TreesumProcess.Result none = TreesumProcess.embedded(home).run();

		assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(none.stderr()).contains("Usage: treesum");
		assertThat(home.resolve("pgdata")).doesNotExist();
	}

}
