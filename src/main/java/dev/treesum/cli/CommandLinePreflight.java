package dev.treesum.cli;

import java.lang.reflect.Constructor;
import java.util.OptionalInt;

import dev.treesum.ExitCode;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Answers what needs no command to run, before Spring's context or a database starts:
 * {@code --help}, {@code --version}, a usage error (a scan's roots that do not exist and
 * options that do not go together included), or no command at all. It parses the command
 * line as the real run will, with commands that are made only to be parsed, and tells
 * whether the command that is to run uses the database, so that the embedded server can
 * start while the application is built.
 */
public final class CommandLinePreflight {

	private CommandLinePreflight() {
	}

	/**
	 * Answer the command line if it runs no command.
	 * @param args the arguments as given
	 * @return the exit code if it was answered, otherwise what is to run
	 */
	public static Answer answer(String... args) {
		CommandLine commandLine = TreesumRunner.commandLine(new TreesumCommand(), new ParseOnlyFactory());
		ParseResult parsed;
		try {
			parsed = commandLine.parseArgs(TreesumRunner.withoutProperties(args));
		}
		catch (ParameterException ex) {
			return usageError(commandLine, ex, args);
		}
		catch (RuntimeException ex) {
			// Not a usage error picocli knows: the real run tells it.
			return new Answer(OptionalInt.empty(), true, false);
		}
		if (CommandLine.printHelpIfRequested(parsed)) {
			return Answer.answered(ExitCode.COMPLETED.code());
		}
		if (!parsed.hasSubcommand()) {
			commandLine.usage(commandLine.getErr());
			return Answer.answered(ExitCode.USAGE.code());
		}
		Object command = parsed.subcommand().commandSpec().userObject();
		if (command instanceof ScanCommand scan) {
			try {
				scan.checkArguments();
			}
			catch (ParameterException ex) {
				return usageError(commandLine, ex, args);
			}
		}
		return new Answer(OptionalInt.empty(), !(command instanceof GenerateCompletion), onlyReads(command));
	}

	/**
	 * Whether a command only reads the database, so that it may run beside a scan on the
	 * embedded server that the scan's process runs.
	 */
	private static boolean onlyReads(Object command) {
		return command instanceof StatusCommand || command instanceof ReportCommand || command instanceof ExportCommand
				|| (command instanceof DbCommand db && !db.serves());
	}

	private static Answer usageError(CommandLine commandLine, ParameterException ex, String... args) {
		try {
			return Answer.answered(commandLine.getParameterExceptionHandler().handleParseException(ex, args));
		}
		catch (Exception failed) {
			return new Answer(OptionalInt.empty(), true, false);
		}
	}

	/**
	 * What the preflight found.
	 *
	 * @param exitCode the exit code of a command line it answered, otherwise empty
	 * @param usesDatabase whether the command that is to run uses the database
	 * @param onlyReads whether that command only reads it
	 */
	public record Answer(OptionalInt exitCode, boolean usesDatabase, boolean onlyReads) {

		static Answer answered(int exitCode) {
			return new Answer(OptionalInt.of(exitCode), false, false);
		}

	}

	/**
	 * Makes commands for parsing alone: a command's collaborators are only used when it
	 * runs, so they are left out.
	 */
	private static final class ParseOnlyFactory implements IFactory {

		@Override
		public <K> K create(Class<K> type) throws Exception {
			try {
				return CommandLine.defaultFactory().create(type);
			}
			catch (Exception ex) {
				Constructor<?> constructor = type.getDeclaredConstructors()[0];
				constructor.setAccessible(true);
				return type.cast(constructor.newInstance(new Object[constructor.getParameterCount()]));
			}
		}

	}

}
