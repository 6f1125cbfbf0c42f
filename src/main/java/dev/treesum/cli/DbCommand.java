package dev.treesum.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.treesum.ExitCode;
import dev.treesum.TreesumException;
import dev.treesum.db.DatabaseLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * {@code treesum db}: how to reach the database with {@code psql}; with {@code --serve}
 * the embedded server stays up until the command is interrupted.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "db", mixinStandardHelpOptions = true,
		description = "Print a psql connection string for the database; --serve keeps the embedded one up.")
class DbCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Option(names = "--serve", description = "Keep the embedded database up until interrupted (Ctrl-C).")
	private boolean serve;

	private final ObjectProvider<DatabaseLocation> location;

	DbCommand(ObjectProvider<DatabaseLocation> location) {
		this.location = location;
	}

	/**
	 * Return whether this command keeps the server up, which it can only do for a server
	 * of its own.
	 */
	boolean serves() {
		return this.serve;
	}

	@Override
	public Integer call() throws InterruptedException {
		DatabaseLocation database = this.location.getObject();
		PrintWriter out = this.spec.commandLine().getOut();
		out.println(database.psqlUri());
		out.flush();
		boolean quiet = TreesumCommand.verbosity(this.spec) == Verbosity.QUIET;
		if (!this.serve && database.isEmbedded() && !quiet) {
			this.spec.commandLine()
				.getErr()
				.println(database.isJoined()
						? "The embedded server is another treesum process's and stops when that process ends."
						: "The embedded server stops when this command ends: 'treesum db --serve' keeps it up.");
			this.spec.commandLine().getErr().flush();
		}
		if (this.serve) {
			if (!database.isEmbedded()) {
				throw new TreesumException(ExitCode.USAGE,
						"--serve is for the embedded database; this one is served elsewhere");
			}
			if (!quiet) {
				this.spec.commandLine().getErr().println("Serving until interrupted: psql " + database.psqlUri());
				this.spec.commandLine().getErr().flush();
			}
			// SIGINT or SIGTERM closes the application context, which stops the server
			// cleanly, and ends the process (see StopSignal).
			new CountDownLatch(1).await();
		}
		return ExitCode.COMPLETED.code();
	}

}
