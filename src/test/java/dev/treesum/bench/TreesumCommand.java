package dev.treesum.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The command that starts treesum, from {@code -Dbenchmark.treesum}: a plain prefix split
 * on spaces ({@code target/treesum}, the build's launcher, unless named), so that any
 * build, a jar or a launcher script, is measured the same way. Each process gets an
 * embedded database of its own under the given home and treesum's default options.
 */
final class TreesumCommand {

	static final String PROPERTY = "benchmark.treesum";

	private static final String DEFAULT = "target/treesum";

	private final List<String> prefix;

	private final String heap;

	private TreesumCommand(List<String> prefix, String heap) {
		this.prefix = List.copyOf(prefix);
		this.heap = heap;
	}

	static TreesumCommand fromProperty() {
		return fromProperty(PROPERTY, DEFAULT);
	}

	/**
	 * @param property the system property that holds the command
	 * @param fallback the command when the property is unset, null for none
	 * @return the command, null when neither names one
	 */
	static TreesumCommand fromProperty(String property, String fallback) {
		String value = System.getProperty(property);
		if (value == null || value.isBlank()) {
			value = fallback;
		}
		return (value != null) ? new TreesumCommand(Arrays.asList(value.trim().split(" +")), null) : null;
	}

	/**
	 * The same command with a maximum heap: put right after {@code java} when the prefix
	 * starts with it, otherwise given to the launcher script through {@code JAVA_OPTS},
	 * the variable it documents.
	 */
	TreesumCommand withHeap(String maxHeap) {
		if (!startsWithJava()) {
			return new TreesumCommand(this.prefix, maxHeap);
		}
		List<String> command = new ArrayList<>();
		command.add(this.prefix.get(0));
		command.add("-Xmx" + maxHeap);
		this.prefix.stream().skip(1).filter((word) -> !word.startsWith("-Xmx")).forEach(command::add);
		return new TreesumCommand(command, null);
	}

	/**
	 * The JVM that treesum runs on, for a hello world to compare its start with: the
	 * prefix's {@code java}, else the one running the benchmark.
	 */
	String java() {
		return startsWithJava() ? this.prefix.get(0)
				: Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	boolean startsWithJava() {
		return Path.of(this.prefix.get(0)).getFileName().toString().equals("java");
	}

	/**
	 * Fail early, with the way out, when the command names a jar that is not there.
	 */
	void checkRunnable() {
		Path first = Path.of(this.prefix.get(0));
		if (first.getNameCount() > 1 && !Files.isExecutable(first)) {
			throw new IllegalStateException(first + " is not an executable file (working directory "
					+ Path.of("").toAbsolutePath() + "): build it with ./mvnw -q -DskipTests package, or name "
					+ "another treesum with -D" + PROPERTY + "=\"java -jar PATH\"");
		}
		for (String word : this.prefix) {
			if (word.endsWith(".jar") && !Files.isRegularFile(Path.of(word))) {
				throw new IllegalStateException(word + " does not exist (working directory "
						+ Path.of("").toAbsolutePath() + "): build it with ./mvnw -q -DskipTests package, or name "
						+ "another treesum with -D" + PROPERTY + "=\"java -jar PATH\"");
			}
		}
	}

	List<String> command(String... arguments) {
		List<String> command = new ArrayList<>(this.prefix);
		command.addAll(List.of(arguments));
		return command;
	}

	/**
	 * A treesum process with its own embedded database in {@code home} and no setting
	 * from the benchmark's environment; standard input is empty.
	 */
	ProcessBuilder builder(Path home, String... arguments) {
		ProcessBuilder builder = new ProcessBuilder(command(arguments));
		Map<String, String> environment = builder.environment();
		environment.keySet()
			.removeIf((name) -> name.startsWith("SPRING_DATASOURCE_") || name.startsWith("TREESUM_")
					|| name.equals("JAVA_OPTS") || name.equals("JAVA_TOOL_OPTIONS"));
		environment.put("TREESUM_HOME", home.toString());
		if (this.heap != null) {
			environment.put("JAVA_OPTS", "-Xmx" + this.heap);
		}
		builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		return builder;
	}

	String describe() {
		String command = String.join(" ", this.prefix);
		return (this.heap != null) ? "JAVA_OPTS=-Xmx" + this.heap + " " + command : command;
	}

}
