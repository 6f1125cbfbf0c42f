package dev.treesum.cli;

import java.util.concurrent.Callable;

import dev.treesum.TreesumProperties;
import dev.treesum.launch.ScanLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * {@code treesum restart [SCAN_ID]}: resume a scan that failed, was stopped or was
 * abandoned by a process that died.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "restart", mixinStandardHelpOptions = true,
		description = "Resume a failed or stopped scan (default: the latest one); completed partitions are not "
				+ "walked again, the others continue after their last committed chunk.")
class RestartCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Parameters(paramLabel = "SCAN_ID", arity = "0..1", description = "The scan (default: the latest one).")
	private Long scanId;

	@Mixin
	private ThreadsOption threads;

	private final TreesumProperties properties;

	private final ObjectProvider<ScanLauncher> launcher;

	RestartCommand(TreesumProperties properties, ObjectProvider<ScanLauncher> launcher) {
		this.properties = properties;
		this.launcher = launcher;
	}

	@Override
	public Integer call() {
		return ScanOutcome.print(this.launcher.getObject().restart(this.scanId, this.threads.threads(this.properties)),
				this.spec.commandLine().getOut(), this.spec.commandLine().getErr());
	}

}
