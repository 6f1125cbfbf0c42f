package dev.treesum.mount;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Decides which file systems a scan reads, and from where: each root on its own file
 * system, and every file system mounted under a root from its mount point. The same file
 * system reached twice (a bind mount, a root inside another root) is read once, from the
 * place that covers the most of it, and of equal places from a root rather than from a
 * mount found under another root.
 */
public final class MountPlanner {

	private final MountTable table;

	private final FilesystemTypes types;

	public MountPlanner(MountTable table, FilesystemTypes types) {
		this.table = table;
		this.types = types;
	}

	/**
	 * Return the mount points of every local file system, for {@code --all-mounts}: no
	 * pseudo, remote or memory-backed file system, and nothing mounted beneath one.
	 * @return the mount points, raw bytes, in table order
	 */
	public List<byte[]> localMountPoints() {
		List<byte[]> excluded = new ArrayList<>();
		List<byte[]> local = new ArrayList<>();
		for (Mount mount : this.table.mounts()) {
			if (!this.types.isLocal(mount.type()) || isUnderAny(mount.mountPoint(), excluded)) {
				excluded.add(mount.mountPoint());
			}
			else {
				local.add(mount.mountPoint());
			}
		}
		return local;
	}

	/**
	 * Plan the partitions of a scan.
	 * @param roots the scan's roots, absolute and without symbolic links, raw bytes
	 * @param localOnly whether nested file systems must be local ({@code --all-mounts})
	 * or merely not pseudo
	 * @return one partition root per file system to read, in the order of the roots
	 */
	public List<PartitionRoot> plan(List<byte[]> roots, boolean localOnly) {
		List<PartitionRoot> candidates = new ArrayList<>();
		Set<PartitionRoot> named = Collections.newSetFromMap(new IdentityHashMap<>());
		for (byte[] root : roots) {
			PartitionRoot rootItself = partitionRoot(root, this.table.containing(root));
			candidates.add(rootItself);
			named.add(rootItself);
			List<byte[]> excluded = new ArrayList<>();
			for (Mount nested : this.table.under(root)) {
				boolean wanted = localOnly ? this.types.isLocal(nested.type()) : !this.types.isPseudo(nested.type());
				if (!wanted || isUnderAny(nested.mountPoint(), excluded)) {
					excluded.add(nested.mountPoint());
				}
				else {
					candidates.add(partitionRoot(nested.mountPoint(), nested));
				}
			}
		}
		List<PartitionRoot> broadestFirst = new ArrayList<>(candidates);
		// Of two places that show the same files, a root the user named wins over a mount
		// found under another root, so the files are recorded under the path asked for.
		broadestFirst.sort(Comparator.comparingInt((PartitionRoot candidate) -> candidate.fsPath().length)
			.thenComparing((candidate) -> !named.contains(candidate)));
		List<PartitionRoot> kept = new ArrayList<>();
		for (PartitionRoot candidate : broadestFirst) {
			boolean covered = kept.stream()
				.anyMatch((other) -> other.mount().device() == candidate.mount().device()
						&& MountTable.isAtOrUnder(candidate.fsPath(), other.fsPath()));
			if (!covered) {
				kept.add(candidate);
			}
		}
		return candidates.stream().filter(kept::contains).toList();
	}

	private static PartitionRoot partitionRoot(byte[] path, Mount mount) {
		byte[] mountPoint = mount.mountPoint();
		byte[] relative = (mountPoint.length == 1) ? path : Arrays.copyOfRange(path, mountPoint.length, path.length);
		ByteArrayOutputStream fsPath = new ByteArrayOutputStream();
		if (mount.root().length > 1) {
			fsPath.writeBytes(mount.root());
		}
		fsPath.writeBytes(relative);
		if (fsPath.size() == 0) {
			fsPath.write('/');
		}
		return new PartitionRoot(path, mount, fsPath.toByteArray());
	}

	private static boolean isUnderAny(byte[] path, List<byte[]> directories) {
		return directories.stream().anyMatch((directory) -> MountTable.isAtOrUnder(path, directory));
	}

	/**
	 * Where one partition's walk starts, and the file system it reads.
	 *
	 * @param path where the walk starts, raw bytes
	 * @param mount the mount it reads
	 * @param fsPath the same place as a path inside the file system, to tell when two
	 * partitions would read the same files
	 */
	public record PartitionRoot(byte[] path, Mount mount, byte[] fsPath) {
	}

}
