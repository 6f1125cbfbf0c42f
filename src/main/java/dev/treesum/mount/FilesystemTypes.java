package dev.treesum.mount;

import java.util.Set;

/**
 * Which file system types hold files worth checksumming. Pseudo file systems (kernel
 * interfaces such as {@code proc}, container layers such as {@code overlay}, the
 * automounter) never do; remote and memory-backed ones do when a root reaches them, but
 * {@code --all-mounts} means local, persistent storage.
 */
public final class FilesystemTypes {

	/** The default pseudo file system types. */
	public static final Set<String> PSEUDO = Set.of("proc", "sysfs", "cgroup", "cgroup2", "devtmpfs", "devpts",
			"mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf", "autofs", "configfs", "fusectl", "hugetlbfs",
			"overlay", "binfmt_misc", "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", "nfsd", "ramfs", "squashfs",
			"fuse.gvfsd-fuse", "fuse.portal", "fuse.lxcfs");

	/** The default types that are not local, persistent storage. */
	public static final Set<String> NOT_LOCAL = Set.of("tmpfs", "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph",
			"glusterfs", "fuse.sshfs", "sshfs", "afs", "lustre", "virtiofs");

	private final Set<String> pseudo;

	private final Set<String> notLocal;

	public FilesystemTypes(Set<String> pseudo, Set<String> notLocal) {
		this.pseudo = Set.copyOf(pseudo);
		this.notLocal = Set.copyOf(notLocal);
	}

	/**
	 * Return whether a type is a pseudo file system, never scanned below a root.
	 * @param type the type from the mount table
	 * @return {@code true} if pseudo
	 */
	public boolean isPseudo(String type) {
		return this.pseudo.contains(type);
	}

	/**
	 * Return whether {@code --all-mounts} takes a type: local, persistent, not pseudo.
	 * @param type the type from the mount table
	 * @return {@code true} if local
	 */
	public boolean isLocal(String type) {
		return !isPseudo(type) && !this.notLocal.contains(type);
	}

}
