package dev.treesum.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The name of the host a scan belongs to, when none is given.
 */
final class Hosts {

	private Hosts() {
	}

	/**
	 * Return this machine's host name without asking DNS, which a container may lack.
	 */
	static String local() {
		try {
			String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
			if (!name.isEmpty()) {
				return name;
			}
		}
		catch (IOException ex) {
			// not Linux: fall through to the JDK's answer
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			return "localhost";
		}
	}

}
