package dev.treesum.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The process that runs a scan: the machine, its current boot and the process id with its
 * start time, which together tell whether that process is still alive when asked from the
 * same machine. From another machine only the scan's heartbeat can tell.
 *
 * @param machine the machine's host name
 * @param bootId the kernel's boot id, so a reboot is not mistaken for the same process
 * @param pid the process id
 * @param startedAt when the process started
 */
public record ScanOwner(String machine, String bootId, long pid, Instant startedAt) {

	/**
	 * Return this process.
	 * @return the current process as an owner
	 */
	public static ScanOwner current() {
		ProcessHandle self = ProcessHandle.current();
		Instant started = self.info().startInstant().orElse(Instant.EPOCH);
		return new ScanOwner(machineName(), currentBootId(), self.pid(), started);
	}

	/**
	 * Return whether the evidence says this owner is gone: on this machine and boot, its
	 * process is not running (or a different process now has its id); elsewhere, its
	 * heartbeat is older than the limit.
	 * @param heartbeat the scan's last heartbeat, or {@code null} if it never beat
	 * @param staleAfter how old a heartbeat may be for a live owner elsewhere
	 * @return {@code true} if the owner is gone
	 */
	public boolean isGone(Instant heartbeat, Duration staleAfter) {
		ScanOwner here = current();
		if (here.machine.equals(this.machine) && here.bootId.equals(this.bootId)) {
			Optional<ProcessHandle> process = ProcessHandle.of(this.pid);
			return process.isEmpty() || !process.get().isAlive() || !sameStart(process.get());
		}
		return heartbeat == null || heartbeat.plus(staleAfter).isBefore(Instant.now());
	}

	@Override
	public String toString() {
		return "process " + this.pid + " on " + this.machine;
	}

	private boolean sameStart(ProcessHandle process) {
		// Start times come in clock ticks; a second of slack tells a reused pid apart.
		return process.info()
			.startInstant()
			.map((start) -> Duration.between(start, this.startedAt).abs().compareTo(Duration.ofSeconds(1)) <= 0)
			.orElse(true);
	}

	private static String machineName() {
		try {
			String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
			if (!name.isEmpty()) {
				return name;
			}
		}
		catch (IOException ex) {
			// not Linux: ask the JDK
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			return "localhost";
		}
	}

	private static String currentBootId() {
		try {
			return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
		}
		catch (IOException ex) {
			return "";
		}
	}

}
