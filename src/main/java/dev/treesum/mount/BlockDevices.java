package dev.treesum.mount;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a file system's device to the physical disks beneath it through {@code /sys}: a
 * partition to its parent disk, a device-mapper or md device to its member disks, as far
 * as {@code slaves/} tells, and whether any of them spins.
 */
public final class BlockDevices {

	private final Path sys;

	/**
	 * Read from the real {@code /sys}.
	 */
	public BlockDevices() {
		this(Path.of("/sys"));
	}

	/**
	 * Read from a copy of {@code /sys}, for tests.
	 * @param sys its root
	 */
	public BlockDevices(Path sys) {
		this.sys = sys;
	}

	/**
	 * Return the disk beneath a device.
	 * @param major the device's major number
	 * @param minor its minor number
	 * @return the disk; a device that is no block device is a disk of its own
	 */
	public Disk diskOf(int major, int minor) {
		Path device = this.sys.resolve("dev/block/" + major + ":" + minor);
		if (major == 0 || !Files.exists(device)) {
			String name = major + ":" + minor;
			return new Disk(name, Set.of(name), false);
		}
		try {
			Path real = device.toRealPath();
			Set<String> members = new TreeSet<>();
			boolean rotational = collect(real, members, 0);
			String own = diskDirectory(real).getFileName().toString();
			String name = (members.size() == 1 && members.contains(own)) ? own
					: own + " (" + String.join("+", members) + ")";
			return new Disk(name, Set.copyOf(members), rotational);
		}
		catch (IOException ex) {
			String name = major + ":" + minor;
			return new Disk(name, Set.of(name), false);
		}
	}

	/**
	 * Add the physical disks beneath a block device's directory to {@code members} and
	 * return whether any of them is rotational.
	 */
	private boolean collect(Path block, Set<String> members, int depth) throws IOException {
		Path disk = diskDirectory(block);
		Path slaves = disk.resolve("slaves");
		boolean rotational = false;
		boolean stacked = false;
		if (depth < 8 && Files.isDirectory(slaves)) {
			try (DirectoryStream<Path> stream = Files.newDirectoryStream(slaves)) {
				for (Path slave : stream) {
					stacked = true;
					rotational |= collect(slave.toRealPath(), members, depth + 1);
				}
			}
		}
		Path backingFile = disk.resolve("loop/backing_file");
		if (!stacked && depth < 8 && Files.isRegularFile(backingFile)) {
			// A loop device reads the disk that holds its backing file.
			Path backing = backingDevice(Path.of(Files.readString(backingFile).trim()));
			if (backing != null) {
				stacked = true;
				rotational = collect(backing, members, depth + 1);
			}
		}
		if (!stacked) {
			members.add(disk.getFileName().toString());
			rotational = isRotational(disk);
		}
		return rotational;
	}

	private Path backingDevice(Path file) {
		try {
			long dev = (Long) Files.readAttributes(file, "unix:dev").get("dev");
			long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
			long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
			Path device = this.sys.resolve("dev/block/" + major + ":" + minor);
			return Files.exists(device) ? device.toRealPath() : null;
		}
		catch (IOException | UnsupportedOperationException ex) {
			return null;
		}
	}

	/**
	 * A partition's directory sits inside its disk's and has a {@code partition} file.
	 */
	private static Path diskDirectory(Path block) {
		return Files.exists(block.resolve("partition")) ? block.getParent() : block;
	}

	/**
	 * Whether a disk spins. A paravirtual disk's flag is its hypervisor's default, not
	 * its medium's (QEMU's virtio disks say they spin, whatever lies beneath), and
	 * parallel reads speed such disks up: they count as not spinning.
	 */
	private static boolean isRotational(Path disk) {
		if (isParavirtual(disk)) {
			return false;
		}
		try {
			return "1".equals(Files.readString(disk.resolve("queue/rotational")).trim());
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A virtio, Xen or Hyper-V disk sits below its bus's device in {@code /sys/devices}.
	 */
	static boolean isParavirtual(Path disk) {
		for (Path part : disk) {
			String name = part.toString();
			if (name.startsWith("virtio") || name.startsWith("vbd-") || name.startsWith("VMBUS")) {
				return true;
			}
		}
		return false;
	}

}
