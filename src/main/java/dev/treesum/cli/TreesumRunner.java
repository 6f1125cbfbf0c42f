package dev.treesum.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.regex.Pattern;

import dev.treesum.Failures;
import dev.treesum.db.DatabaseInUseException;
import org.flywaydb.core.api.FlywayException;
import dev.treesum.db.DatabaseUnavailableException;
import dev.treesum.scan.NothingToResumeException;
import dev.treesum.scan.ScanAlreadyRunningException;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Runs the command line and keeps its exit code for the process. Expected failures print
 * one line; only a bug prints a stack trace.
 */
@Component
@Profile("!test")
class TreesumRunner implements CommandLineRunner, ExitCodeGenerator {

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
		this.exitCode = commandLine(this.command.getObject(), this.factory).execute(withoutProperties(args));
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
		CommandLine commandLine = new CommandLine(command, factory);
		commandLine.setParameterExceptionHandler(TreesumRunner::usageError);
		commandLine.setExecutionExceptionHandler(TreesumRunner::executionError);
		return commandLine;
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

	private static int usageError(ParameterException ex, String[] args) {
		CommandLine commandLine = ex.getCommandLine();
		PrintWriter err = commandLine.getErr();
		err.println(
				"treesum: " + ex.getMessage() + " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')");
		err.flush();
		return ExitCodes.USAGE;
	}

	private static int executionError(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
		PrintWriter err = commandLine.getErr();
		if (ex instanceof CommandFailedException failed) {
			err.println("treesum: " + failed.getMessage());
			err.flush();
			return failed.exitCode();
		}
		if (ex instanceof ScanAlreadyRunningException running) {
			err.println("treesum: " + running.getMessage());
			err.flush();
			return ExitCodes.ALREADY_RUNNING;
		}
		if (ex instanceof NothingToResumeException nothing) {
			err.println("treesum: " + nothing.getMessage());
			err.flush();
			return ExitCodes.USAGE;
		}
		DatabaseInUseException inUse = cause(ex, DatabaseInUseException.class);
		if (inUse != null) {
			err.println("treesum: " + inUse.getMessage());
			err.flush();
			return ExitCodes.ALREADY_RUNNING;
		}
		FlywayException migration = cause(ex, FlywayException.class);
		DatabaseUnavailableException unavailable = cause(ex, DatabaseUnavailableException.class);
		if (migration != null && connectionFailure(ex) == null) {
			err.println("treesum: the database schema cannot be brought up to date: " + migration.getMessage());
		}
		else if (unavailable != null) {
			err.println("treesum: " + unavailable.getMessage());
		}
		else if (cause(ex, CannotGetJdbcConnectionException.class) != null) {
			err.println("treesum: the database is unavailable: " + Failures.rootMessage(ex));
		}
		else if (connectionFailure(ex) != null) {
			// Flyway connects first, and reports a refusal in its own exception.
			SQLException failure = connectionFailure(ex);
			String message = (failure.getMessage() != null) ? failure.getMessage() : "";
			String root = Failures.rootMessage(failure);
			err.println("treesum: the database is unavailable: " + message
					+ (message.contains(root) ? "" : " (" + root + ")"));
		}
		else if (cause(ex, DataAccessException.class) != null || cause(ex, SQLException.class) != null) {
			err.println("treesum: database error: " + Failures.rootMessage(ex));
		}
		else {
			ex.printStackTrace(err);
		}
		err.flush();
		return ExitCodes.FAILED;
	}

	private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/**
	 * Return the SQL exception that says a connection could not be made: refused, unknown
	 * host, login refused or no such database (SQL states 08, 28 and 3D).
	 */
	private static SQLException connectionFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
					|| sql.getSQLState().startsWith("28") || sql.getSQLState().startsWith("3D"))) {
				return sql;
			}
		}
		return null;
	}

}
