package dev.treesum.cli;

import dev.treesum.ExitCode;
import dev.treesum.TreesumException;
import dev.treesum.TreesumProperties;
import dev.treesum.launch.ScanOwner;
import dev.treesum.report.ScanReports;
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

	private final TreesumProperties properties;

	HostOption(TreesumProperties properties) {
		this.properties = properties;
	}

	/**
	 * Return the host: the option, else this host.
	 * @return the host's name
	 */
	String host() {
		if (this.host != null) {
			if (this.host.isBlank()) {
				throw new ParameterException(this.spec.commandLine(), "--host needs a name");
			}
			return this.host;
		}
		return thisHost(this.properties);
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
	 * Return the scan a command works on: the one given, else the host's latest completed
	 * one. A scan given by its id is that scan whatever its host, unless {@code --host}
	 * names another host.
	 * @param scanId the scan given, or {@code null}
	 * @param reports the reports that know the scans
	 * @param purpose what the command does with it, for the message when there is none
	 * @return the scan's id
	 */
	long scan(Long scanId, ScanReports reports, String purpose) {
		String name = host();
		long scan = (scanId != null) ? scanId
				: reports.latestCompleted(name)
					.orElseThrow(() -> new TreesumException(ExitCode.USAGE,
							"host " + name + " has no completed scan to " + purpose + " yet"));
		String scanHost = reports.host(scan)
			.orElseThrow(() -> new TreesumException(ExitCode.USAGE, "there is no scan " + scan));
		requireHost(scan, scanHost);
		return scan;
	}

	/**
	 * Refuse a scan of another host than the one {@code --host} names.
	 * @param scanId the scan
	 * @param scanHost its host
	 */
	void requireHost(long scanId, String scanHost) {
		if (isGiven() && !scanHost.equals(this.host)) {
			throw new TreesumException(ExitCode.USAGE,
					"scan " + scanId + " belongs to host " + scanHost + ", not " + this.host);
		}
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
