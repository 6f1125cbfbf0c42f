package dev.treesum.mount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The disk beneath a device, read from a {@code /sys} laid out as the kernel lays it out,
 * with real symbolic links: partitions belong to their disk, device-mapper and md devices
 * to their members, loop devices to the disk of their backing file; and from this
 * machine's real {@code /sys}.
 */
class BlockDevicesTests {

	private static final String SATA = "devices/pci0000:00/0000:00:17.0/ata%d/host%d/target%d:0:0/%d:0:0:0/block/";

	private static final String NVME = "devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/";

	private static final String VIRTUAL = "devices/virtual/block/";

	private static final String VIRTIO = "devices/pci0000:00/0000:00:02.0/virtio1/block/";

	private static final String XEN = "devices/vbd-51712/block/";

	@TempDir
	private Path temp;

	private Path sys;

	@BeforeEach
	void buildSys() throws IOException {
		this.sys = Files.createDirectory(this.temp.resolve("sys"));
		Files.createDirectories(this.sys.resolve("dev/block"));
		for (int i = 0; i < 4; i++) {
			String disk = "sd" + (char) ('a' + i);
			String at = SATA.formatted(i + 1, i, i, i) + disk;
			disk(at, 1);
			device(8, 16 * i, at);
			for (int n = 1; n <= 2; n++) {
				partition(at + "/" + disk + n);
				device(8, 16 * i + n, at + "/" + disk + n);
			}
		}
		disk(NVME + "nvme0n1", 0);
		device(259, 0, NVME + "nvme0n1");
		for (int n = 1; n <= 2; n++) {
			partition(NVME + "nvme0n1/nvme0n1p" + n);
			device(259, n, NVME + "nvme0n1/nvme0n1p" + n);
		}
		// Paravirtual disks whose flag says they spin, as QEMU's and Xen's do by default.
		disk(VIRTIO + "vda", 1);
		device(240, 0, VIRTIO + "vda");
		partition(VIRTIO + "vda/vda1");
		device(240, 1, VIRTIO + "vda/vda1");
		disk(XEN + "xvda", 1);
		device(202, 0, XEN + "xvda");
		// LVM across a partition of each of two spinning disks.
		stacked(253, 0, "dm-0", SATA.formatted(1, 0, 0, 0) + "sda/sda2", SATA.formatted(2, 1, 1, 1) + "sdb/sdb1");
		// RAID 1 of two whole disks, and LVM on top of it.
		stacked(9, 0, "md0", SATA.formatted(3, 2, 2, 2) + "sdc", SATA.formatted(4, 3, 3, 3) + "sdd");
		stacked(253, 1, "dm-1", VIRTUAL + "md0");
		// LVM across an SSD partition and a spinning disk's.
		stacked(253, 2, "dm-2", NVME + "nvme0n1/nvme0n1p2", SATA.formatted(4, 3, 3, 3) + "sdd/sdd2");
	}

	@Test
	void aPartitionBelongsToItsDisk() {
		assertThat(devices().diskOf(8, 1)).isEqualTo(new Disk("sda", Set.of("sda"), true));
		assertThat(devices().diskOf(8, 18)).isEqualTo(new Disk("sdb", Set.of("sdb"), true));
		assertThat(devices().diskOf(259, 2)).isEqualTo(new Disk("nvme0n1", Set.of("nvme0n1"), false));
	}

	@Test
	void aWholeDiskIsItsOwn() {
		assertThat(devices().diskOf(8, 0)).isEqualTo(new Disk("sda", Set.of("sda"), true));
		assertThat(devices().diskOf(259, 0)).isEqualTo(new Disk("nvme0n1", Set.of("nvme0n1"), false));
	}

	@Test
	void aDeviceMapperDeviceReadsTheDisksOfItsMembers() {
		assertThat(devices().diskOf(253, 0)).isEqualTo(new Disk("dm-0 (sda+sdb)", Set.of("sda", "sdb"), true));
	}

	@Test
	void anMdArrayAndAnLvmVolumeOnItReadTheArraysDisks() {
		assertThat(devices().diskOf(9, 0)).isEqualTo(new Disk("md0 (sdc+sdd)", Set.of("sdc", "sdd"), true));
		assertThat(devices().diskOf(253, 1)).isEqualTo(new Disk("dm-1 (sdc+sdd)", Set.of("sdc", "sdd"), true));
	}

	@Test
	void aDeviceSpinsIfAnyOfItsDisksSpins() {
		assertThat(devices().diskOf(253, 2)).isEqualTo(new Disk("dm-2 (nvme0n1+sdd)", Set.of("nvme0n1", "sdd"), true));
	}

	@Test
	void aLoopDeviceReadsTheDiskHoldingItsBackingFile() throws IOException {
		Path image = Files.write(this.temp.resolve("disk image.img"), new byte[4096]);
		long dev = (Long) Files.readAttributes(image, "unix:dev", LinkOption.NOFOLLOW_LINKS).get("dev");
		long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
		long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
		// Whatever really holds the temporary directory is, in this /sys, an NVMe
		// partition.
		device(major, minor, NVME + "nvme0n1/nvme0n1p1");
		Path loop = disk(VIRTUAL + "loop0", 0);
		Files.createDirectories(loop.resolve("slaves"));
		Files.createDirectories(loop.resolve("loop"));
		Files.writeString(loop.resolve("loop/backing_file"), image + "\n");
		device(7, 0, VIRTUAL + "loop0");

		assertThat(devices().diskOf(7, 0)).isEqualTo(new Disk("loop0 (nvme0n1)", Set.of("nvme0n1"), false));
	}

	@Test
	void aParavirtualDiskCountsAsNotSpinningWhateverItsFlagSays() {
		assertThat(devices().diskOf(240, 1)).isEqualTo(new Disk("vda", Set.of("vda"), false));
		assertThat(devices().diskOf(202, 0)).isEqualTo(new Disk("xvda", Set.of("xvda"), false));
	}

	@Test
	void aLoopDeviceWhoseBackingFileIsGoneIsItsOwnDisk() throws IOException {
		Path loop = disk(VIRTUAL + "loop1", 0);
		Files.createDirectories(loop.resolve("loop"));
		Files.writeString(loop.resolve("loop/backing_file"), this.temp.resolve("deleted.img") + " (deleted)\n");
		device(7, 1, VIRTUAL + "loop1");

		assertThat(devices().diskOf(7, 1)).isEqualTo(new Disk("loop1", Set.of("loop1"), false));
	}

	@Test
	void aFileSystemWithoutABlockDeviceIsItsOwnDisk() {
		assertThat(devices().diskOf(0, 45)).isEqualTo(new Disk("0:45", Set.of("0:45"), false));
		assertThat(devices().diskOf(8, 200)).isEqualTo(new Disk("8:200", Set.of("8:200"), false));
	}

	@Test
	void theRealRootFileSystemIsOnADiskThatSysKnows() throws IOException {
		Path realSys = Path.of("/sys/dev/block");
		Assumptions.assumeTrue(Files.isDirectory(realSys) && Files.list(realSys).findAny().isPresent(),
				"this machine's /sys lists no block devices (a container without /sys/dev/block?)");
		Mount root = MountTable.read().containing("/".getBytes(StandardCharsets.UTF_8));
		Assumptions.assumeTrue(Files.exists(realSys.resolve(root.deviceName())),
				"the root file system (" + root + ") has no block device in /sys, such as an overlay in a container");

		Disk disk = new BlockDevices().diskOf(root.major(), root.minor());

		assertThat(disk.members()).isNotEmpty()
			.allSatisfy((member) -> assertThat(Path.of("/sys/block", member)).as(disk.toString()).isDirectory());
		Path member = Path.of("/sys/block", disk.members().iterator().next()).toRealPath();
		String rotational = Files.readString(member.resolve("queue/rotational")).trim();
		if (disk.members().size() == 1) {
			assertThat(disk.rotational()).as(disk.toString())
				.isEqualTo("1".equals(rotational) && !BlockDevices.isParavirtual(member));
		}
	}

	private BlockDevices devices() {
		return new BlockDevices(this.sys);
	}

	/**
	 * A disk's directory, with its rotational flag and an empty {@code slaves}.
	 */
	private Path disk(String at, int rotational) throws IOException {
		Path disk = Files.createDirectories(this.sys.resolve(at));
		Files.createDirectories(disk.resolve("queue"));
		Files.createDirectories(disk.resolve("slaves"));
		Files.writeString(disk.resolve("queue/rotational"), rotational + "\n");
		return disk;
	}

	/**
	 * A partition's directory inside its disk's, marked by a {@code partition} file.
	 */
	private void partition(String at) throws IOException {
		Path partition = Files.createDirectories(this.sys.resolve(at));
		Files.writeString(partition.resolve("partition"), at.substring(at.length() - 1) + "\n");
	}

	/**
	 * A device built on others, its {@code slaves/} linking to their directories.
	 */
	private void stacked(int major, int minor, String name, String... members) throws IOException {
		Path device = disk(VIRTUAL + name, 0);
		for (String member : members) {
			Path slave = device.resolve("slaves").resolve(Path.of(member).getFileName());
			Files.createSymbolicLink(slave, slave.getParent().relativize(this.sys.resolve(member)));
		}
		device(major, minor, VIRTUAL + name);
	}

	/**
	 * {@code /sys/dev/block/MAJ:MIN}, a relative link as the kernel makes it.
	 */
	private void device(long major, long minor, String at) throws IOException {
		Path link = this.sys.resolve("dev/block/" + major + ":" + minor);
		Files.createSymbolicLink(link, link.getParent().relativize(this.sys.resolve(at)));
	}

}
