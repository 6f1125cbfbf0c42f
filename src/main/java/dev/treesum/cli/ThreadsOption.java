package dev.treesum.cli;

import dev.treesum.TreesumProperties;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --threads N}, shared by the commands that run a scan.
 */
class ThreadsOption {

	@Spec(Spec.Target.MIXEE)
	private CommandSpec spec;

	@Option(names = "--threads", paramLabel = "N",
			description = "Partitions run at once (default: available processors).")
	private Integer threads;

	private final TreesumProperties properties;

	ThreadsOption(TreesumProperties properties) {
		this.properties = properties;
	}

	/**
	 * Return the partitions to run at once: the option, else the configuration.
	 * @return at least 1
	 */
	int threads() {
		int threads = (this.threads != null) ? this.threads : this.properties.effectiveThreads();
		if (threads < 1) {
			throw new ParameterException(this.spec.commandLine(), "--threads must be at least 1");
		}
		return threads;
	}

}
