package dev.treesum.cli;

import java.util.List;
import java.util.concurrent.Callable;

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
		description = "Resume a failed or stopped scan of this host (default: its latest one); completed partitions "
				+ "are not walked again, the others continue after their last committed chunk. Another host's scan "
				+ "is resumed only when --host names that host.")
class RestartCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Parameters(paramLabel = "SCAN_ID", arity = "0..1", description = "The scan (default: the host's latest one).")
	private Long scanId;

	@Mixin
	private ThreadsOption threads;

	@Mixin
	private HostOption host;

	private final ObjectProvider<ScanLauncher> launcher;

	RestartCommand(ObjectProvider<ScanLauncher> launcher) {
		this.launcher = launcher;
	}

	@Override
	public Integer call() {
		int partitionThreads = this.threads.threads();
		String hostName = this.host.host();
		return ScanOutcome.print(this.launcher.getObject().restart(this.scanId, hostName, partitionThreads), List.of(),
				this.spec.commandLine().getOut(), this.spec.commandLine().getErr());
	}

}
