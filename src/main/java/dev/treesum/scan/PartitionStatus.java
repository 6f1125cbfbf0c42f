package dev.treesum.scan;

/**
 * One partition of a scan, as {@code status} shows it.
 *
 * @param name the partition's name
 * @param root where its walk starts
 * @param mountpoint the mount point of its file system
 * @param device the device, {@code MAJOR:MINOR}
 * @param fsType the file system type
 * @param disk the physical disk(s) beneath
 * @param ioConcurrency files read at once
 * @param state the state of its latest attempt
 * @param files entries recorded
 * @param bytes bytes of regular files recorded
 * @param errors entries that could not be examined or hashed
 * @param seconds how long its attempts ran in all
 */
public record PartitionStatus(String name, String root, String mountpoint, String device, String fsType, String disk,
		int ioConcurrency, String state, long files, long bytes, long errors, double seconds) {
}
