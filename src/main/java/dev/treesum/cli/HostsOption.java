package dev.treesum.cli;

import dev.treesum.TreesumProperties;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --host NAME} or {@code --all-hosts}, shared by the commands that can span every
 * host of a shared database.
 */
class HostsOption extends HostOption {

	@Option(names = "--all-hosts", description = "Every host's scans instead of one host's.")
	boolean allHosts;

	HostsOption(TreesumProperties properties) {
		super(properties);
	}

	/**
	 * Return the host, or {@code null} for every host.
	 * @return the host's name, or {@code null} with {@code --all-hosts}
	 */
	String hostOrAll() {
		if (this.allHosts) {
			if (isGiven()) {
				throw new ParameterException(this.spec.commandLine(), "give either --host or --all-hosts, not both");
			}
			return null;
		}
		return host();
	}

}
