package dev.treesum.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short helper command run to its end for what it prints (a version, a package
 * install), not measured.
 *
 * @param exitCode its exit code
 * @param stdout its standard output
 * @param stderr its standard error
 */
record CommandOutput(int exitCode, String stdout, String stderr) {

	static CommandOutput of(List<String> command, Duration timeout) throws IOException, InterruptedException {
		Path out = Files.createTempFile("treesum-bench", ".out");
		Path err = Files.createTempFile("treesum-bench", ".err");
		try {
			Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor();
				return new CommandOutput(-1, Files.readString(out, StandardCharsets.UTF_8),
						"did not end within " + timeout.toSeconds() + " s");
			}
			return new CommandOutput(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return new CommandOutput(-1, "", ex.getMessage());
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

	/**
	 * The last line with text on standard error, else on standard output: what a failed
	 * command has to say for itself.
	 */
	String lastLine() {
		String line = lastLine(this.stderr);
		return line.isEmpty() ? lastLine(this.stdout) : line;
	}

	String firstLine() {
		String all = this.stdout.isBlank() ? this.stderr : this.stdout;
		return all.lines().filter((line) -> !line.isBlank()).findFirst().orElse("").trim();
	}

	static String lastLine(String text) {
		List<String> lines = text.lines().filter((line) -> !line.isBlank()).toList();
		return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
	}

}
