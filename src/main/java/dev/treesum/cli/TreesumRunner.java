package dev.treesum.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.regex.Pattern;

import dev.treesum.ExitCode;
import dev.treesum.Failures;
import dev.treesum.TreesumException;
import dev.treesum.hash.HashAlgorithm;
import org.flywaydb.core.api.FlywayException;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

/**
 * Runs the command line and keeps its exit code for the process. Failing has one path: an
 * expected failure is a {@link TreesumException} (or a database that cannot be reached),
 * told in one line here; its exit code comes from picocli's exit code exception mapper.
 * Only a bug prints a stack trace. A write error on standard output fails the command; a
 * closed pipe ends it quietly with {@value #CLOSED_PIPE}, the code of a tool that
 * {@code SIGPIPE} ended.
 */
@Component
@Profile("!test")
class TreesumRunner implements CommandLineRunner, ExitCodeGenerator {

	/** 128 + SIGPIPE, what a shell reports for {@code seq 1000000 | head -1}'s seq. */
	static final int CLOSED_PIPE = 141;

	private static final Pattern PROPERTY = Pattern.compile("--[a-zA-Z][\\w-]*(\\.[\\w\\[\\]-]+)+=.*");

	private final ObjectProvider<TreesumCommand> command;

	private final IFactory factory;

	private int exitCode;

	TreesumRunner(ObjectProvider<TreesumCommand> command, IFactory factory) {
		this.command = command;
		this.factory = factory;
	}

	@Override
	public void run(String... args) {
		CommandLine commandLine = commandLine(this.command.getObject(), this.factory);
		// Not System.out: a PrintStream swallows write errors.
		CommandOutput out = new CommandOutput(new FileOutputStream(FileDescriptor.out), CommandOutput::isStdoutPipe);
		commandLine.setOut(out);
		try {
			int code = commandLine.execute(withoutProperties(args));
			if (out.failure() == null) {
				out.flush();
			}
			else if (code == ExitCode.COMPLETED.code()) {
				// a write error that something caught and did not pass on
				code = outputFailed(out.failure(), commandLine.getErr());
			}
			this.exitCode = code;
		}
		catch (OutputFailure failure) {
			// help, version, or the last of the output
			this.exitCode = outputFailed(failure, commandLine.getErr());
		}
	}

	/**
	 * Leave out {@code --treesum.threads=4} and the like: Spring Boot takes them as
	 * properties, and they are no options of the commands.
	 */
	static String[] withoutProperties(String... args) {
		return Arrays.stream(args).filter((arg) -> !PROPERTY.matcher(arg).matches()).toArray(String[]::new);
	}

	/**
	 * Return the command line with treesum's handling of usage and execution errors. The
	 * commands are prototypes: picocli keeps option values in their fields, so each
	 * command line needs fresh ones.
	 */
	static CommandLine commandLine(TreesumCommand command, IFactory factory) {
		return new CommandLine(command, factory).setCaseInsensitiveEnumValuesAllowed(true)
			.registerConverter(HashAlgorithm.class, TreesumRunner::algorithm)
			.setParameterExceptionHandler(TreesumRunner::usageError)
			.setExecutionExceptionHandler(TreesumRunner::executionError)
			.setExitCodeExceptionMapper(TreesumRunner::exitCode);
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

	private static HashAlgorithm algorithm(String name) {
		try {
			return HashAlgorithm.of(name);
		}
		catch (IllegalArgumentException ex) {
			throw new TypeConversionException(ex.getMessage());
		}
	}

	private static int usageError(ParameterException ex, String[] args) {
		CommandLine commandLine = ex.getCommandLine();
		TerminalText.error(commandLine.getErr(),
				ex.getMessage() + " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')");
		return ExitCode.USAGE.code();
	}

	private static int executionError(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
		PrintWriter err = commandLine.getErr();
		OutputFailure output = cause(ex, OutputFailure.class);
		if (output != null) {
			return outputFailed(output, err);
		}
		String message = message(ex);
		if (message != null) {
			TerminalText.error(err, message);
		}
		else {
			TerminalText.stackTrace(err, ex);
		}
		return commandLine.getExitCodeExceptionMapper().getExitCode(ex);
	}

	/**
	 * Tell a failed write in one line and fail; end quietly when the reader closed the
	 * pipe.
	 */
	private static int outputFailed(OutputFailure failure, PrintWriter err) {
		if (failure.isClosedPipe()) {
			return CLOSED_PIPE;
		}
		TerminalText.error(err, "cannot write the output: " + failure.getMessage());
		return ExitCode.FAILED.code();
	}

	private static int exitCode(Throwable ex) {
		TreesumException expected = cause(ex, TreesumException.class);
		return ((expected != null) ? expected.exitCode() : ExitCode.FAILED).code();
	}

	/**
	 * Return the one line that tells an expected failure, or {@code null} for a bug.
	 */
	private static String message(Throwable ex) {
		TreesumException expected = cause(ex, TreesumException.class);
		if (expected != null) {
			return expected.getMessage();
		}
		SQLException connection = connectionFailure(ex);
		FlywayException migration = cause(ex, FlywayException.class);
		if (migration != null && connection == null) {
			return "the database schema cannot be brought up to date: " + migration.getMessage();
		}
		if (connection != null) {
			// Flyway connects first, and reports a refusal in its own exception.
			String detail = (connection.getMessage() != null) ? connection.getMessage() : "";
			String root = Failures.rootMessage(connection);
			return "the database is unavailable: " + detail + (detail.contains(root) ? "" : " (" + root + ")");
		}
		if (cause(ex, CannotGetJdbcConnectionException.class) != null) {
			return "the database is unavailable: " + Failures.rootMessage(ex);
		}
		if (cause(ex, DataAccessException.class) != null || cause(ex, SQLException.class) != null) {
			return "database error: " + Failures.rootMessage(ex);
		}
		return null;
	}

	/**
	 * Return the SQL exception that says a connection could not be made: refused, unknown
	 * host, login refused or no such database (SQL states 08, 28 and 3D).
	 */
	private static SQLException connectionFailure(Throwable ex) {
		SQLException sql = cause(ex, SQLException.class);
		for (; sql != null; sql = cause(sql.getCause(), SQLException.class)) {
			String state = sql.getSQLState();
			if (state != null && (state.startsWith("08") || state.startsWith("28") || state.startsWith("3D"))) {
				return sql;
			}
		}
		return null;
	}

	/**
	 * Return the first exception of the given type in the cause chain: Spring wraps what
	 * a bean's creation threw, and the batch job what a step threw.
	 */
	private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
