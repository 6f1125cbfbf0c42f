package dev.treesum.cli;

import java.util.concurrent.Callable;

import dev.treesum.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * The top-level {@code treesum} command, which only holds the subcommands; alone, it is a
 * usage error.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "treesum", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Checksums every file under a set of file system roots into PostgreSQL.",
		subcommands = { ScanCommand.class, StatusCommand.class, RestartCommand.class, ReportCommand.class,
				ExportCommand.class, DbCommand.class, PruneCommand.class },
		footer = { "", "Exit codes: 0 completed, 1 failed (resumable), 2 bad usage, 3 stopped (resumable),",
				"4 already running elsewhere, 5 completed and found a change that --fail-on names." })
class TreesumCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Override
	public Integer call() {
		this.spec.commandLine().usage(this.spec.commandLine().getErr());
		return ExitCode.USAGE.code();
	}

}
