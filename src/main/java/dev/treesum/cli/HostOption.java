package dev.treesum.cli;

import dev.treesum.TreesumProperties;
import dev.treesum.launch.ScanOwner;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --host NAME}, shared by the commands that work on one host's scans. Without it,
 * this host: {@code treesum.host} ({@code TREESUM_HOST}), else the machine's host name,
 * the same default for every command, so that each picks among the scans {@code scan}
 * made here.
 */
class HostOption {

	@Spec(Spec.Target.MIXEE)
	CommandSpec spec;

	@Option(names = "--host", paramLabel = "NAME",
			description = "The host the scans belong to (default: this host: treesum.host, TREESUM_HOST, else the "
					+ "host name).")
	private String host;

	/**
	 * Return the host: the option, else this host.
	 * @param properties the configuration
	 * @return the host's name
	 */
	String host(TreesumProperties properties) {
		if (this.host != null) {
			if (this.host.isBlank()) {
				throw new ParameterException(this.spec.commandLine(), "--host needs a name");
			}
			return this.host;
		}
		return thisHost(properties);
	}

	/**
	 * Return whether {@code --host} was given, so that a scan given by its id must belong
	 * to that host.
	 * @return {@code true} if it was
	 */
	boolean isGiven() {
		return this.host != null;
	}

	/**
	 * Return this host: {@code treesum.host}, else the machine's host name.
	 * @param properties the configuration
	 * @return the host's name
	 */
	static String thisHost(TreesumProperties properties) {
		return (properties.host() != null && !properties.host().isBlank()) ? properties.host()
				: ScanOwner.current().machine();
	}

}
