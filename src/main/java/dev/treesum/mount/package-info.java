/**
 * The mount table from {@code /proc/self/mountinfo}, which file systems are pseudo or
 * remote, and the physical disks beneath each file system from {@code /sys}. Plain Java,
 * no Spring.
 */
package dev.treesum.mount;
