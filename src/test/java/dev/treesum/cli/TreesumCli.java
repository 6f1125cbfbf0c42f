package dev.treesum.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.IFactory;

import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The treesum command line in the test's own JVM, as {@code main} builds it, with its
 * output captured: for tests outside this package, which cannot see the commands.
 */
public final class TreesumCli {

	private static final Pattern COMPLETED = Pattern.compile("scan (\\d+) completed: ");

	private final ApplicationContext context;

	public TreesumCli(ApplicationContext context) {
		this.context = context;
	}

	/**
	 * Run one command line to its end.
	 * @param args the arguments, as a user would type them after {@code treesum}
	 * @return how it ended
	 */
	public Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		StringWriter err = new StringWriter();
		CommandLine commandLine = TreesumRunner.commandLine(this.context.getBean(TreesumCommand.class),
				this.context.getBean(IFactory.class));
		CommandOutput output = new CommandOutput(out);
		commandLine.setOut(output);
		commandLine.setErr(new PrintWriter(err));
		int exitCode = commandLine.execute(args);
		output.flush();
		return new Run(exitCode, out.toByteArray(), err.toString());
	}

	/**
	 * Run {@code treesum scan} and assert that it completed.
	 * @param args the arguments after {@code scan}
	 * @return the id of the scan, from the last line of its output
	 */
	public long scan(String... args) {
		String[] scan = new String[args.length + 1];
		scan[0] = "scan";
		System.arraycopy(args, 0, scan, 1, args.length);
		Run run = run(scan);
		assertThat(run.exitCode()).as(run.toString()).isZero();
		return run.scanId();
	}

	/**
	 * A finished command line.
	 *
	 * @param exitCode its exit code
	 * @param bytes what it wrote to standard output, exactly
	 * @param err what it printed to standard error
	 */
	public record Run(int exitCode, byte[] bytes, String err) {

		/**
		 * Return what it printed to standard output, as text.
		 */
		public String out() {
			return new String(this.bytes, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\nstdout:\n" + out() + "\nstderr:\n" + this.err;
		}

		public String lastLine() {
			List<String> lines = out().lines().toList();
			return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
		}

		/**
		 * Return the id a completed scan printed on its last line.
		 */
		public long scanId() {
			Matcher matcher = COMPLETED.matcher(lastLine());
			assertThat(matcher.find()).as(toString()).isTrue();
			return Long.parseLong(matcher.group(1));
		}

	}

}
