package dev.treesum.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.treesum.mount.BlockDevices;
import dev.treesum.mount.Disk;
import dev.treesum.mount.FilesystemTypes;
import dev.treesum.mount.Mount;
import dev.treesum.mount.MountPlanner;
import dev.treesum.mount.MountPlanner.PartitionRoot;
import dev.treesum.mount.MountTable;
import dev.treesum.walk.PathBytes;

import org.springframework.batch.core.partition.PartitionNameProvider;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per file system at or under the scan's roots, named {@code partition-N},
 * each with the disk group it reads from and how many files it reads at once. A resumed
 * scan keeps the partitions its first attempt found, whatever is mounted now.
 */
class MountPartitioner implements Partitioner, PartitionNameProvider {

	private final ScanSettings scan;

	private final PartitionRepository partitions;

	private final FilesystemTypes types;

	private final BlockDevices devices;

	MountPartitioner(ScanSettings scan, PartitionRepository partitions, FilesystemTypes types, BlockDevices devices) {
		this.scan = scan;
		this.partitions = partitions;
		this.types = types;
		this.devices = devices;
	}

	@Override
	public Collection<String> getPartitionNames(int gridSize) {
		List<String> known = this.partitions.names(this.scan.id());
		return known.isEmpty() ? partition(gridSize).keySet() : known;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		MountTable table;
		try {
			table = MountTable.read();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the mount table", ex);
		}
		MountPlanner planner = new MountPlanner(table, this.types);
		// The mount points themselves, not the roots' text, which loses names that are
		// not valid UTF-8 or, under the POSIX locale, not ASCII.
		List<byte[]> roots = this.scan.allMounts() ? planner.localMountPoints()
				: this.scan.roots().stream().map((root) -> PathBytes.of(Path.of(root))).toList();
		List<PartitionRoot> planned = planner.plan(roots, this.scan.allMounts());
		List<Disk> disks = planned.stream()
			.map((root) -> this.devices.diskOf(root.mount().major(), root.mount().minor()))
			.toList();
		List<String> groups = diskGroups(disks);
		Map<String, ExecutionContext> contexts = new LinkedHashMap<>();
		for (int i = 0; i < planned.size(); i++) {
			PartitionRoot root = planned.get(i);
			Mount mount = root.mount();
			boolean rotational = disks.get(i).rotational();
			boolean auto = this.scan.ioConcurrency() == 0;
			MountPartition partition = new MountPartition(i, PathBytes.text(root.path()), root.path(),
					PathBytes.text(mount.mountPoint()), mount.mountPoint(), mount.deviceName(), mount.type(),
					mount.source(), groups.get(i), rotational,
					auto ? startingConcurrency(rotational) : this.scan.ioConcurrency(), auto);
			this.partitions.add(this.scan.id(), partition);
			contexts.put(partition.name(), partition.toContext());
		}
		return contexts;
	}

	/**
	 * Where the search for the best number of files read at once starts: one file on a
	 * spinning disk, where parallel reads make the head seek; a few on anything else.
	 */
	static int startingConcurrency(boolean rotational) {
		return rotational ? 1 : 4;
	}

	/**
	 * Name each partition's group of disks: partitions whose disks overlap, even through
	 * a third one, share a group.
	 */
	static List<String> diskGroups(List<Disk> disks) {
		Map<String, String> parent = new HashMap<>();
		for (Disk disk : disks) {
			String first = null;
			for (String member : disk.members()) {
				parent.putIfAbsent(member, member);
				if (first == null) {
					first = member;
				}
				else {
					parent.put(find(parent, member), find(parent, first));
				}
			}
		}
		Map<String, Set<String>> members = new HashMap<>();
		for (String member : parent.keySet()) {
			members.computeIfAbsent(find(parent, member), (key) -> new TreeSet<>()).add(member);
		}
		List<String> groups = new ArrayList<>();
		for (Disk disk : disks) {
			String anyMember = disk.members().iterator().next();
			groups.add(String.join("+", members.get(find(parent, anyMember))));
		}
		return groups;
	}

	private static String find(Map<String, String> parent, String member) {
		String root = member;
		while (!parent.get(root).equals(root)) {
			root = parent.get(root);
		}
		return root;
	}

}
