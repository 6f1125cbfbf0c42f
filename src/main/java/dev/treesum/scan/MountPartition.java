package dev.treesum.scan;

import java.nio.file.Path;
import java.util.Base64;

import dev.treesum.walk.PathBytes;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition of a scan: one file system at or under the scan's roots, where its walk
 * starts, what it is mounted from, the disks beneath it and how many files it reads at
 * once. It travels in the partition's step execution context, so a resumed scan walks the
 * same partitions.
 *
 * @param part its number N within the scan: it is {@code partition-N}
 * @param root where its walk starts, readable (invalid UTF-8 as {@code \xNN})
 * @param rootBytes the exact bytes of {@code root}
 * @param mountPoint the mount point of its file system, readable
 * @param mountPointBytes the exact bytes of {@code mountPoint}
 * @param device the file system's device, {@code MAJOR:MINOR}
 * @param fsType the file system's type
 * @param source the mount's source, such as {@code /dev/sda1}
 * @param disk the physical disks beneath: partitions of one disk group never run at once
 * @param rotational whether any of those disks spins, which makes parallel reads slower
 * @param ioConcurrency files read at once inside the partition: as given, or, when
 * {@code ioAuto}, where the search for the best number starts, from the class of its
 * disks
 * @param ioAuto whether it searches for the best number of files read at once while it
 * runs
 */
public record MountPartition(int part, String root, byte[] rootBytes, String mountPoint, byte[] mountPointBytes,
		String device, String fsType, String source, String disk, boolean rotational, int ioConcurrency,
		boolean ioAuto) {

	private static final String PART = "part";

	private static final String ROOT = "root";

	private static final String ROOT_BYTES = "rootBytes";

	private static final String MOUNT_POINT = "mountpoint";

	private static final String MOUNT_POINT_BYTES = "mountpointBytes";

	private static final String DEVICE = "device";

	private static final String FS_TYPE = "fsType";

	private static final String SOURCE = "source";

	private static final String DISK = "disk";

	private static final String ROTATIONAL = "rotational";

	private static final String IO_CONCURRENCY = "ioConcurrency";

	private static final String IO_AUTO = "ioAuto";

	/**
	 * Return the partition's name, as {@code treesum_partition} and its worker step know
	 * it.
	 * @return {@code partition-N}
	 */
	public String name() {
		return "partition-" + this.part;
	}

	/**
	 * Return the path where the walk starts, from its exact bytes: the readable root
	 * names no path when it is not UTF-8.
	 * @return the path
	 */
	public Path start() {
		return PathBytes.path(this.rootBytes);
	}

	/**
	 * Return the partition as a step execution context.
	 * @return a new context
	 */
	public ExecutionContext toContext() {
		ExecutionContext context = new ExecutionContext();
		context.putInt(PART, this.part);
		context.putString(ROOT, this.root);
		context.putString(ROOT_BYTES, Base64.getEncoder().encodeToString(this.rootBytes));
		context.putString(MOUNT_POINT, this.mountPoint);
		context.putString(MOUNT_POINT_BYTES, Base64.getEncoder().encodeToString(this.mountPointBytes));
		context.putString(DEVICE, this.device);
		context.putString(FS_TYPE, this.fsType);
		context.putString(SOURCE, this.source);
		context.putString(DISK, this.disk);
		context.putString(ROTATIONAL, Boolean.toString(this.rotational));
		context.putInt(IO_CONCURRENCY, this.ioConcurrency);
		context.putString(IO_AUTO, Boolean.toString(this.ioAuto));
		return context;
	}

	/**
	 * Read a partition back from its step execution context.
	 * @param context the context {@link #toContext()} made
	 * @return the partition
	 */
	public static MountPartition from(ExecutionContext context) {
		return new MountPartition(context.getInt(PART), context.getString(ROOT),
				Base64.getDecoder().decode(context.getString(ROOT_BYTES)), context.getString(MOUNT_POINT),
				Base64.getDecoder().decode(context.getString(MOUNT_POINT_BYTES)), context.getString(DEVICE),
				context.getString(FS_TYPE), context.getString(SOURCE), context.getString(DISK),
				Boolean.parseBoolean(context.getString(ROTATIONAL)), context.getInt(IO_CONCURRENCY),
				Boolean.parseBoolean(context.getString(IO_AUTO)));
	}

}
