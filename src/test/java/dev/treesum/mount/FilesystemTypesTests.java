package dev.treesum.mount;

import java.io.IOException;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which file system types a scan reads: kernel interfaces, container layers and the
 * automounter never; memory-backed and remote ones below a root but not for
 * {@code --all-mounts}; and the sets are the configuration's, not fixed.
 */
class FilesystemTypesTests {

	private final FilesystemTypes defaults = new FilesystemTypes(FilesystemTypes.PSEUDO, FilesystemTypes.NOT_LOCAL);

	@Test
	void kernelInterfacesContainerLayersAndTheAutomounterArePseudo() {
		for (String type : Set.of("proc", "sysfs", "cgroup", "cgroup2", "devtmpfs", "devpts", "mqueue", "debugfs",
				"tracefs", "securityfs", "pstore", "bpf", "configfs", "fusectl", "hugetlbfs", "efivarfs", "binfmt_misc",
				"nsfs", "overlay", "autofs", "squashfs", "fuse.gvfsd-fuse")) {
			assertThat(this.defaults.isPseudo(type)).as(type).isTrue();
			assertThat(this.defaults.isLocal(type)).as(type).isFalse();
		}
	}

	@Test
	void diskFileSystemsAreLocal() {
		for (String type : Set.of("ext4", "ext3", "xfs", "btrfs", "zfs", "vfat", "exfat", "ntfs3", "f2fs")) {
			assertThat(this.defaults.isPseudo(type)).as(type).isFalse();
			assertThat(this.defaults.isLocal(type)).as(type).isTrue();
		}
	}

	@Test
	void memoryBackedAndRemoteFileSystemsAreReadBelowARootButAreNotLocal() {
		for (String type : Set.of("tmpfs", "nfs", "nfs4", "cifs", "smb3", "9p", "ceph", "fuse.sshfs", "virtiofs")) {
			assertThat(this.defaults.isPseudo(type)).as(type).isFalse();
			assertThat(this.defaults.isLocal(type)).as(type).isFalse();
		}
	}

	@Test
	void everyTypeOfTheDesktopSampleIsClassified() throws IOException {
		MountTable table = MountTableTests.sample("desktop.mountinfo");

		assertThat(table.mounts().stream().map(Mount::type).filter(this.defaults::isLocal).distinct())
			.containsExactlyInAnyOrder("ext4", "vfat", "xfs", "exfat");
		assertThat(table.mounts().stream().map(Mount::type).filter(this.defaults::isPseudo).distinct())
			.containsExactlyInAnyOrder("sysfs", "proc", "devtmpfs", "devpts", "securityfs", "cgroup2", "pstore",
					"efivarfs", "bpf", "autofs", "mqueue", "hugetlbfs", "debugfs", "tracefs", "fusectl", "configfs",
					"squashfs", "overlay", "fuse.gvfsd-fuse");
	}

	@Test
	void theSetsComeFromTheConfiguration() {
		FilesystemTypes custom = new FilesystemTypes(Set.of("ext4"), Set.of("xfs"));

		assertThat(custom.isPseudo("ext4")).isTrue();
		assertThat(custom.isLocal("ext4")).isFalse();
		assertThat(custom.isPseudo("xfs")).isFalse();
		assertThat(custom.isLocal("xfs")).isFalse();
		assertThat(custom.isPseudo("proc")).isFalse();
		assertThat(custom.isLocal("tmpfs")).isTrue();
	}

}
