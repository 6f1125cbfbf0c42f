package dev.treesum.cli;

import java.lang.reflect.Constructor;
import java.util.OptionalInt;

import dev.treesum.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Answers what needs no command to run, before Spring's context or a database starts:
 * {@code --help}, {@code --version}, a usage error, or no command at all. It parses the
 * command line as the real run will, with commands that are made only to be parsed.
 */
public final class CommandLinePreflight {

	private CommandLinePreflight() {
	}

	/**
	 * Answer the command line if it runs no command.
	 * @param args the arguments as given
	 * @return the exit code if it was answered, otherwise empty: the command is to run
	 */
	public static OptionalInt answer(String... args) {
		CommandLine commandLine = TreesumRunner.commandLine(new TreesumCommand(), new ParseOnlyFactory());
		ParseResult parsed;
		try {
			parsed = commandLine.parseArgs(TreesumRunner.withoutProperties(args));
		}
		catch (ParameterException ex) {
			try {
				return OptionalInt.of(commandLine.getParameterExceptionHandler().handleParseException(ex, args));
			}
			catch (Exception failed) {
				return OptionalInt.empty();
			}
		}
		catch (RuntimeException ex) {
			// Not a usage error picocli knows: the real run tells it.
			return OptionalInt.empty();
		}
		if (CommandLine.printHelpIfRequested(parsed)) {
			return OptionalInt.of(ExitCode.COMPLETED.code());
		}
		if (!parsed.hasSubcommand()) {
			commandLine.usage(commandLine.getErr());
			return OptionalInt.of(ExitCode.USAGE.code());
		}
		return OptionalInt.empty();
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
