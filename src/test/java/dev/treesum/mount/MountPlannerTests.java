package dev.treesum.mount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import dev.treesum.mount.MountPlanner.PartitionRoot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which partitions a scan gets from a mount table: one per file system at or under its
 * roots, pseudo file systems and everything beneath them left out, and no file system
 * read twice however often it is reached, by bind mounts or by roots inside roots.
 */
class MountPlannerTests {

	private static final FilesystemTypes TYPES = new FilesystemTypes(FilesystemTypes.PSEUDO, FilesystemTypes.NOT_LOCAL);

	@Test
	void aRootWithNestedMountsGetsOnePartitionRootPerFileSystem() {
		MountPlanner planner = planner("/ ext4 8:1", "/data ext4 8:17", "/data/a ext4 7:0", "/data/b ext4 7:1",
				"/data/c tmpfs 0:50", "/elsewhere ext4 8:33");

		List<PartitionRoot> plan = planner.plan(roots("/data"), false);

		assertThat(paths(plan)).containsExactly("/data", "/data/a", "/data/b", "/data/c");
		assertThat(plan).extracting((root) -> root.mount().deviceName()).containsExactly("8:17", "7:0", "7:1", "0:50");
		assertThat(plan).extracting((root) -> root.mount().type()).containsExactly("ext4", "ext4", "ext4", "tmpfs");
		assertThat(fsPaths(plan)).containsOnly("/");
	}

	@Test
	void aRootInsideAFileSystemStartsThereAndTakesTheMountsBelowIt() {
		MountPlanner planner = planner("/ ext4 8:1", "/data ext4 8:17", "/data/x/a ext4 7:0", "/data/y/b ext4 7:1");

		List<PartitionRoot> plan = planner.plan(roots("/data/x"), false);

		assertThat(paths(plan)).containsExactly("/data/x", "/data/x/a");
		assertThat(fsPaths(plan)).containsExactly("/x", "/");
	}

	@Test
	void pseudoFileSystemsBelowARootAndEverythingBeneathThemAreLeftOut() {
		MountPlanner planner = planner("/ ext4 8:1", "/data/proc proc 0:21", "/data/sys sysfs 0:22",
				"/data/sys/fs/cgroup cgroup2 0:27", "/data/sys/fs/cgroup/disk ext4 8:65", "/data/ov overlay 0:40",
				"/data/ov/volume ext4 8:33", "/data/auto autofs 0:34", "/data/auto/share nfs4 0:35",
				"/data/keep ext4 8:49");

		assertThat(paths(planner.plan(roots("/data"), false))).containsExactly("/data", "/data/keep");
		assertThat(paths(planner.plan(roots("/data"), true))).containsExactly("/data", "/data/keep");
	}

	@Test
	void memoryBackedAndRemoteFileSystemsBelowARootAreReadButNotForAllMounts() {
		MountPlanner planner = planner("/ ext4 8:1", "/data/tmp tmpfs 0:50", "/data/nas nfs4 0:51",
				"/data/nas/image ext4 7:0", "/data/disk xfs 8:17");

		assertThat(paths(planner.plan(roots("/data"), false))).containsExactly("/data", "/data/tmp", "/data/nas",
				"/data/nas/image", "/data/disk");
		assertThat(paths(planner.plan(roots("/data"), true))).containsExactly("/data", "/data/disk");
	}

	@Test
	void aBindMountOfAFileSystemAlreadyReadIsDropped() {
		MountPlanner planner = planner("/ ext4 8:1", "/data/a ext4 7:0", "/data/c tmpfs 0:50",
				"/data/c/bound ext4 7:0");

		List<PartitionRoot> plan = planner.plan(roots("/data"), false);

		assertThat(paths(plan)).containsExactly("/data", "/data/a", "/data/c");
	}

	@Test
	void aBindMountUnderOneRootOfAnotherRootsFileSystemIsDroppedAndThatRootKept() {
		MountPlanner planner = planner("/ ext4 8:1", "/data/a ext4 7:0", "/data/c tmpfs 0:50",
				"/data/c/bound ext4 7:0");

		// Both show all of 7:0; the one the user named is where its files are recorded.
		assertThat(paths(planner.plan(roots("/data/c", "/data/a"), false))).containsExactly("/data/c", "/data/a");
		assertThat(paths(planner.plan(roots("/data/a", "/data/c"), false))).containsExactly("/data/a", "/data/c");
	}

	@Test
	void aBindMountOfASubdirectoryAlreadyReadIsDropped() {
		MountPlanner planner = planner("/ ext4 8:1", "/data ext4 8:17", "/data/www ext4 8:17 /srv/www",
				"/data/alice ext4 8:1 /home/alice");

		// /data/www shows a directory of the file system /data reads whole; the directory
		// /data/alice shows is read nowhere else, until /home is a root too.
		assertThat(paths(planner.plan(roots("/data"), false))).containsExactly("/data", "/data/alice");
		assertThat(fsPaths(planner.plan(roots("/data"), false))).containsExactly("/", "/home/alice");
		assertThat(paths(planner.plan(roots("/data", "/home"), false))).containsExactly("/data", "/home");
	}

	@Test
	void aRootInsideAnotherRootIsDroppedWhicheverComesFirst() {
		MountPlanner planner = planner("/ ext4 8:1", "/data ext4 8:17", "/data/a ext4 7:0");

		assertThat(paths(planner.plan(roots("/data", "/data/sub"), false))).containsExactly("/data", "/data/a");
		assertThat(paths(planner.plan(roots("/data/sub", "/data"), false))).containsExactly("/data", "/data/a");
		assertThat(paths(planner.plan(roots("/data", "/data/a/deep"), false))).containsExactly("/data", "/data/a");
		assertThat(paths(planner.plan(roots("/data", "/data"), false))).containsExactly("/data", "/data/a");
	}

	@Test
	void aRootThroughABindMountIsTheSameFileSystemAsItsSource() {
		MountPlanner planner = planner("/ ext4 8:1", "/data ext4 8:17", "/srv/site ext4 8:17 /web");

		assertThat(fsPaths(planner.plan(roots("/srv/site/img"), false))).containsExactly("/web/img");
		assertThat(paths(planner.plan(roots("/data", "/srv/site/img"), false))).containsExactly("/data");
	}

	@Test
	void rootsOnDifferentFileSystemsOrInDisjointDirectoriesAreAllKept() {
		MountPlanner planner = planner("/ ext4 8:1", "/data ext4 8:17", "/elsewhere xfs 8:33");

		assertThat(paths(planner.plan(roots("/data", "/elsewhere"), false))).containsExactly("/data", "/elsewhere");
		assertThat(paths(planner.plan(roots("/data/x", "/data/y", "/data/xy"), false))).containsExactly("/data/x",
				"/data/y", "/data/xy");
	}

	@Test
	void theWholeDesktopFromItsRootIsEveryFileSystemThatIsNotPseudo() throws IOException {
		MountPlanner planner = new MountPlanner(MountTableTests.sample("desktop.mountinfo"), TYPES);

		// Not /dev/shm (under devtmpfs), /snap (squashfs), /net (autofs), the docker
		// overlay, the gvfs fuse mount, nor /var/www, which shows a directory of /.
		assertThat(paths(planner.plan(roots("/"), false))).containsExactly("/", "/run", "/run/lock", "/boot",
				"/boot/efi", "/home", "/var/lib/postgresql", "/mnt/nas", "/mnt/nas/archive", "/mnt/usb",
				"/media/alice/My Passport", "/srv/caf\u00e9\\data", "/run/user/1000");
	}

	@Test
	void allMountsTakesEveryLocalFileSystemAndNothingBeneathOneThatIsNot() throws IOException {
		MountPlanner planner = new MountPlanner(MountTableTests.sample("desktop.mountinfo"), TYPES);

		List<byte[]> local = planner.localMountPoints();

		// /mnt/nas/archive is local but lives on the NAS; /net is the automounter's and
		// is never entered, so nothing gets mounted by looking.
		assertThat(local.stream().map(MountPlannerTests::latin1)).containsExactly("/", "/boot", "/boot/efi", "/home",
				"/var/lib/postgresql", "/var/www", "/mnt/usb", "/media/alice/My Passport", "/srv/caf\u00e9\\data");
		assertThat(paths(planner.plan(local, true))).containsExactly("/", "/boot", "/boot/efi", "/home",
				"/var/lib/postgresql", "/mnt/usb", "/media/alice/My Passport", "/srv/caf\u00e9\\data");
	}

	@Test
	void allMountsOnTheVmIsItsRootFileSystemAlone() throws IOException {
		MountPlanner planner = new MountPlanner(MountTableTests.sample("vm.mountinfo"), TYPES);

		assertThat(planner.localMountPoints().stream().map(MountPlannerTests::latin1)).containsExactly("/");
	}

	/**
	 * A mount table from lines of {@code MOUNTPOINT TYPE MAJ:MIN [ROOT]}.
	 */
	private static MountPlanner planner(String... mounts) {
		StringBuilder mountinfo = new StringBuilder();
		int id = 20;
		for (String mount : mounts) {
			String[] fields = mount.split(" ");
			String root = (fields.length > 3) ? fields[3] : "/";
			mountinfo.append(id).append(" 1 ").append(fields[2]).append(' ').append(root).append(' ');
			mountinfo.append(fields[0]).append(" rw,relatime - ").append(fields[1]).append(" source").append(id);
			mountinfo.append(" rw\n");
			id++;
		}
		return new MountPlanner(MountTable.parse(mountinfo.toString().getBytes(StandardCharsets.UTF_8)), TYPES);
	}

	private static List<byte[]> roots(String... roots) {
		return Arrays.stream(roots).map((root) -> root.getBytes(StandardCharsets.UTF_8)).toList();
	}

	private static List<String> paths(List<PartitionRoot> plan) {
		return plan.stream().map((root) -> latin1(root.path())).toList();
	}

	private static List<String> fsPaths(List<PartitionRoot> plan) {
		return plan.stream().map((root) -> latin1(root.fsPath())).toList();
	}

	/**
	 * One char per byte, so a raw byte such as 0xE9 reads as {@code é}.
	 */
	private static String latin1(byte[] bytes) {
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

}
