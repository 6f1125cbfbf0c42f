package dev.treesum.cli;

import java.util.concurrent.Callable;

import dev.treesum.ExitCode;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * The top-level {@code treesum} command, which holds the subcommands and the options
 * every one of them takes; alone, it is a usage error.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "treesum", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Checksums every file under a set of file system roots into PostgreSQL.",
		subcommands = { ScanCommand.class, StatusCommand.class, RestartCommand.class, ReportCommand.class,
				ExportCommand.class, DbCommand.class, PruneCommand.class, AutoComplete.GenerateCompletion.class },
		footer = { "", "Exit codes: 0 completed, 1 failed (resumable), 2 bad usage, 3 stopped (resumable),",
				"4 already running elsewhere, 5 completed and found a change that --fail-on names; a command other than",
				"scan or restart that SIGINT or SIGTERM interrupts ends at once with 130 or 143, one whose output pipe",
				"closes with 141." })
class TreesumCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	private boolean quiet;

	private boolean verbose;

	@Option(names = { "-q", "--quiet" }, scope = ScopeType.INHERIT,
			description = "Print only results and errors: no log lines below warnings, no progress bar (for cron).")
	void setQuiet(boolean quiet) {
		this.quiet = quiet;
		checkVerbosity();
	}

	@Option(names = { "-v", "--verbose" }, scope = ScopeType.INHERIT, description = "Log treesum's debug messages too.")
	void setVerbose(boolean verbose) {
		this.verbose = verbose;
		checkVerbosity();
	}

	/**
	 * Return the verbosity the options asked for.
	 * @return quiet, normal or verbose
	 */
	Verbosity verbosity() {
		return this.quiet ? Verbosity.QUIET : this.verbose ? Verbosity.VERBOSE : Verbosity.NORMAL;
	}

	/**
	 * Return the verbosity of the command line a command belongs to.
	 * @param spec the command's spec
	 * @return its verbosity; normal if it has no {@code treesum} command above it
	 */
	static Verbosity verbosity(CommandSpec spec) {
		return (spec.root().userObject() instanceof TreesumCommand root) ? root.verbosity() : Verbosity.NORMAL;
	}

	private void checkVerbosity() {
		if (this.quiet && this.verbose) {
			throw new ParameterException(this.spec.commandLine(), "give -q or -v, not both");
		}
	}

	@Override
	public Integer call() {
		this.spec.commandLine().usage(this.spec.commandLine().getErr());
		return ExitCode.USAGE.code();
	}

}
