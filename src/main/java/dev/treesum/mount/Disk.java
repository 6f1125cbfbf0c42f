package dev.treesum.mount;

import java.util.Set;

/**
 * The physical storage beneath a file system: the disks it reads from, and whether they
 * spin. A file system without a block device (tmpfs, NFS) is its own "disk", named by its
 * device number.
 *
 * @param name the disk's name, such as {@code sda}, or {@code md0 (sda+sdb)} for a device
 * built on several disks
 * @param members the names of the physical disks read, which partitions must not share
 * when they run at once
 * @param rotational whether any of them spins
 */
public record Disk(String name, Set<String> members, boolean rotational) {
}
