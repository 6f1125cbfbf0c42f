package dev.treesum;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs treesum in a child JVM, as a user would, from the test class path: the process,
 * its environment, its exit code and its output are real.
 */
public final class TreesumProcess {

	private final List<String> arguments = new ArrayList<>();

	private final Map<String, String> environment = new HashMap<>();

	private final List<String> removedEnvironment = new ArrayList<>();

	private final List<String> prefix = new ArrayList<>();

	private Duration timeout = Duration.ofMinutes(2);

	private Path jar;

	private TreesumProcess(String... arguments) {
		this.arguments.addAll(List.of(arguments));
	}

	/**
	 * A treesum process against the test database.
	 */
	public static TreesumProcess against(String... arguments) {
		return new TreesumProcess(arguments).env("SPRING_DATASOURCE_URL", TestDatabase.url())
			.env("SPRING_DATASOURCE_USERNAME", "postgres");
	}

	/**
	 * A treesum process with its own embedded database under the given home.
	 */
	public static TreesumProcess embedded(Path home, String... arguments) {
		return new TreesumProcess(arguments).env("TREESUM_HOME", home.toString()).unset("SPRING_DATASOURCE_URL");
	}

	public TreesumProcess env(String name, String value) {
		this.environment.put(name, value);
		this.removedEnvironment.remove(name);
		return this;
	}

	public TreesumProcess unset(String name) {
		this.environment.remove(name);
		this.removedEnvironment.add(name);
		return this;
	}

	/**
	 * Run under the POSIX locale, as containers often do.
	 */
	public TreesumProcess posixLocale() {
		for (String name : List.of("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE")) {
			unset(name);
		}
		return this;
	}

	/**
	 * Run the JVM through a wrapper command, such as {@code setpriv ...}.
	 */
	public TreesumProcess through(String... command) {
		this.prefix.addAll(List.of(command));
		return this;
	}

	/**
	 * Run another build, such as the one a benchmark compares with, from its jar.
	 */
	public TreesumProcess jar(Path jar) {
		this.jar = jar;
		return this;
	}

	public TreesumProcess timeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	public ProcessBuilder builder(Path stdout, Path stderr) {
		List<String> command = new ArrayList<>(this.prefix);
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("--add-opens");
		command.add("java.base/sun.nio.fs=ALL-UNNAMED");
		command.add("-Xmx256m");
		command.add("-XX:TieredStopAtLevel=1");
		if (this.jar != null) {
			command.add("-jar");
			command.add(this.jar.toString());
		}
		else {
			command.add("-cp");
			command.add(classPath());
			command.add(TreesumApplication.class.getName());
		}
		command.addAll(this.arguments);
		ProcessBuilder builder = new ProcessBuilder(command);
		this.removedEnvironment.forEach(builder.environment()::remove);
		builder.environment().putAll(this.environment);
		builder.redirectOutput(stdout.toFile());
		builder.redirectError(stderr.toFile());
		return builder;
	}

	/**
	 * Run to the end.
	 * @return how it ended
	 */
	public Result run() throws IOException, InterruptedException {
		Path stdout = Files.createTempFile("treesum-out", ".txt");
		Path stderr = Files.createTempFile("treesum-err", ".txt");
		try {
			Process process = builder(stdout, stderr).start();
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor();
				throw new AssertionError("treesum " + this.arguments + " did not end within " + this.timeout
						+ "; stderr:\n" + Files.readString(stderr));
			}
			return new Result(process.exitValue(), Files.readAllBytes(stdout), Files.readString(stderr));
		}
		finally {
			Files.deleteIfExists(stdout);
			Files.deleteIfExists(stderr);
		}
	}

	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	/**
	 * A finished process.
	 *
	 * @param exitCode its exit code
	 * @param stdout its standard output, raw
	 * @param stderr its standard error
	 */
	public record Result(int exitCode, byte[] stdout, String stderr) {

		public String out() {
			return new String(this.stdout, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\nstdout:\n" + out() + "\nstderr:\n" + this.stderr;
		}

	}

}
