package dev.treesum.mount;

import java.nio.charset.StandardCharsets;

/**
 * One line of {@code /proc/self/mountinfo}: a file system (or part of one) mounted at a
 * mount point.
 *
 * @param id the mount id
 * @param parentId the id of the mount it sits on
 * @param major the major number of the file system's device
 * @param minor the minor number
 * @param root the directory of the file system mounted here ({@code /} unless a bind
 * mount of a subdirectory), raw bytes
 * @param mountPoint where it is mounted, raw bytes
 * @param options the per-mount options
 * @param type the file system type, such as {@code ext4}
 * @param source the mount source, such as {@code /dev/sda1}
 */
public record Mount(int id, int parentId, int major, int minor, byte[] root, byte[] mountPoint, String options,
		String type, String source) {

	/**
	 * Return the device id as {@code stat} reports it in {@code st_dev}, glibc's
	 * encoding.
	 * @return the device id
	 */
	public long device() {
		return device(this.major, this.minor);
	}

	/**
	 * Return the device as {@code MAJOR:MINOR}.
	 * @return such as {@code 8:1}
	 */
	public String deviceName() {
		return this.major + ":" + this.minor;
	}

	/**
	 * Return the mount point as text; names that are not UTF-8 lose their odd bytes.
	 * @return the mount point
	 */
	public String mountPointText() {
		return new String(this.mountPoint, StandardCharsets.UTF_8);
	}

	static long device(int major, int minor) {
		long dev = (major & 0x00000fffL) << 8;
		dev |= (major & 0xfffff000L) << 32;
		dev |= minor & 0x000000ffL;
		dev |= (minor & 0xffffff00L) << 12;
		return dev;
	}

	@Override
	public String toString() {
		return mountPointText() + " (" + this.type + " on " + this.source + ", " + deviceName() + ")";
	}

}
