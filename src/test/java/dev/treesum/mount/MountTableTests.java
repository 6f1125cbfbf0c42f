package dev.treesum.mount;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Parsing {@code /proc/self/mountinfo} as captured on this project's VM (also inside a
 * private mount namespace with odd names, a bind mount and a loop device) and as written
 * for a typical desktop: every field, the kernel's octal escapes as raw bytes, and which
 * mounts are visible and hold which paths.
 */
class MountTableTests {

	@Test
	void parsesEveryFieldOfALineWithOptionalFields() {
		Mount mount = MountTable
			.parseLine(bytes("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"));

		assertThat(mount.id()).isEqualTo(36);
		assertThat(mount.parentId()).isEqualTo(35);
		assertThat(mount.major()).isEqualTo(98);
		assertThat(mount.minor()).isZero();
		assertThat(mount.deviceName()).isEqualTo("98:0");
		assertThat(mount.root()).isEqualTo(bytes("/mnt1"));
		assertThat(mount.mountPoint()).isEqualTo(bytes("/mnt2"));
		assertThat(mount.options()).isEqualTo("rw,noatime");
		assertThat(mount.type()).isEqualTo("ext3");
		assertThat(mount.source()).isEqualTo("/dev/root");
	}

	@Test
	void anyNumberOfOptionalFieldsEndsAtTheLoneDash() {
		Mount none = MountTable.parseLine(bytes("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard"));
		Mount two = MountTable
			.parseLine(bytes("82 22 8:50 / /srv/data rw,relatime shared:50 master:3 - ext4 /dev/sdd2 rw"));
		Mount three = MountTable
			.parseLine(bytes("90 22 8:51 / /srv/more rw shared:51 master:4 propagate_from:2 - xfs /dev/sdd3 rw"));

		assertThat(none.type()).isEqualTo("ext4");
		assertThat(none.source()).isEqualTo("/dev/vda");
		assertThat(two.options()).isEqualTo("rw,relatime");
		assertThat(two.type()).isEqualTo("ext4");
		assertThat(two.source()).isEqualTo("/dev/sdd2");
		assertThat(three.type()).isEqualTo("xfs");
		assertThat(three.source()).isEqualTo("/dev/sdd3");
	}

	@Test
	void octalEscapesBecomeTheRawBytesTheyStandFor() {
		assertThat(MountTable.unescape("/media/My\\040Passport")).isEqualTo(bytes("/media/My Passport"));
		assertThat(MountTable.unescape("/a\\011tab\\012newline\\134backslash"))
			.isEqualTo(bytes("/a\ttab\nnewline\\backslash"));
		// Latin-1 é, not valid UTF-8 on its own: kept as the one byte 0xE9.
		assertThat(MountTable.unescape("/srv/caf\\351"))
			.isEqualTo(new byte[] { '/', 's', 'r', 'v', '/', 'c', 'a', 'f', (byte) 0xe9 });
		// What is no complete three-digit octal escape stays as it is.
		assertThat(MountTable.unescape("/a\\9b\\08\\04")).isEqualTo(bytes("/a\\9b\\08\\04"));
	}

	@Test
	void bytesTheKernelDoesNotEscapeAreKeptExactly() {
		// The kernel escapes only space, tab, newline and backslash: other bytes, UTF-8
		// or not, come as they are and must survive parsing.
		byte[] line = concat(bytes("70 22 8:3 / /srv/caf"), new byte[] { (byte) 0xe9, ' ' },
				bytes("rw - ext4 /dev/sda3 rw"));
		byte[] utf8Line = ("71 22 8:4 / /srv/r\u00e9sum\u00e9 rw - ext4 /dev/sda4 rw").getBytes(StandardCharsets.UTF_8);

		MountTable table = MountTable.parse(concat(line, bytes("\n"), utf8Line, bytes("\n")));

		assertThat(table.mounts()).extracting(Mount::mountPoint)
			.containsExactly(new byte[] { '/', 's', 'r', 'v', '/', 'c', 'a', 'f', (byte) 0xe9 },
					"/srv/r\u00e9sum\u00e9".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aLineThatIsNotMountinfoIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> MountTable.parseLine(bytes("not a mountinfo line")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MountTable.parseLine(bytes("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root")));
	}

	@Test
	void aTableWithoutTrailingNewlineOrWithEmptyLinesParses() {
		MountTable table = MountTable
			.parse(bytes("\n1 0 8:1 / / rw - ext4 /dev/sda1 rw\n\n2 1 8:2 / /home rw - ext4 /dev/sda2 rw"));

		assertThat(table.mounts()).extracting(Mount::mountPointText).containsExactly("/", "/home");
	}

	@Test
	void theNamespaceSampleHasEscapedNamesABindOfASubdirectoryAndALoopDevice() throws IOException {
		MountTable table = sample("vm-namespace.mountinfo");

		Mount tmpfs = table.containing(bytes("/tmp/mcap/sp ace\ttab/file"));
		assertThat(tmpfs.mountPoint()).isEqualTo(bytes("/tmp/mcap/sp ace\ttab"));
		assertThat(tmpfs.type()).isEqualTo("tmpfs");
		assertThat(tmpfs.major()).isZero();
		Mount bind = table.containing(bytes("/tmp/mcap/bind"));
		assertThat(bind.root()).isEqualTo(bytes("/tmp/mcap/src/sub"));
		assertThat(bind.deviceName()).isEqualTo(table.containing(bytes("/")).deviceName()).isEqualTo("254:0");
		Mount loop = table.containing(bytes("/tmp/mcap/loopm/lost+found"));
		assertThat(loop.deviceName()).isEqualTo("7:0");
		assertThat(loop.type()).isEqualTo("ext4");
		assertThat(loop.source()).isEqualTo("/dev/loop0");
	}

	@Test
	void ofSeveralMountsOnOneMountPointOnlyTheLastIsVisible() throws IOException {
		// Captured on the VM: /dev/shm and /dev/pts are each mounted twice.
		MountTable table = sample("vm.mountinfo");

		assertThat(table.mounts()).filteredOn((mount) -> mount.mountPointText().equals("/dev/shm"))
			.singleElement()
			.extracting(Mount::deviceName)
			.isEqualTo("0:27");
		assertThat(table.containing(bytes("/dev/pts/0")).deviceName()).isEqualTo("0:26");
		assertThat(table.mounts()).hasSize(18);
	}

	@Test
	void aMountOnAMountThatIsOvermountedIsHiddenWithIt() throws IOException {
		// /mnt/usb/inner sits on the ext4 at /mnt/usb, which a vfat now covers: a path
		// under /mnt/usb/inner reaches the vfat, and the inner mount is out of reach.
		MountTable table = sample("desktop.mountinfo");

		assertThat(table.containing(bytes("/mnt/usb")).type()).isEqualTo("vfat");
		assertThat(table.containing(bytes("/mnt/usb/inner/file")).type()).isEqualTo("vfat");
		assertThat(table.under(bytes("/mnt/usb"))).isEmpty();
		assertThat(table.mounts()).extracting(Mount::mountPointText).doesNotContain("/mnt/usb/inner");
	}

	@Test
	void theDesktopSampleKeepsEveryVisibleMountWithItsType() throws IOException {
		MountTable table = sample("desktop.mountinfo");

		assertThat(table.mounts()).hasSize(35);
		assertThat(table.containing(bytes("/media/alice/My Passport/photos")).type()).isEqualTo("exfat");
		assertThat(table.containing(concat(bytes("/srv/caf"), new byte[] { (byte) 0xe9 }, bytes("\\data/x"))).source())
			.isEqualTo("/dev/sdd2");
		assertThat(table.containing(bytes("/var/www/index.html")).root()).isEqualTo(bytes("/srv/www"));
		assertThat(table.containing(bytes("/mnt/nas/archive/2019")).type()).isEqualTo("ext4");
		assertThat(table.containing(bytes("/run/user/1000/gvfs")).type()).isEqualTo("fuse.gvfsd-fuse");
	}

	@Test
	void containingPicksTheLongestMountPointThatIsAWholeComponentPrefix() throws IOException {
		MountTable table = sample("desktop.mountinfo");

		assertThat(table.containing(bytes("/")).mountPointText()).isEqualTo("/");
		assertThat(table.containing(bytes("/etc/fstab")).mountPointText()).isEqualTo("/");
		assertThat(table.containing(bytes("/home")).mountPointText()).isEqualTo("/home");
		assertThat(table.containing(bytes("/home/alice/notes.txt")).mountPointText()).isEqualTo("/home");
		assertThat(table.containing(bytes("/homework")).mountPointText()).isEqualTo("/");
		assertThat(table.containing(bytes("/boot/efi/EFI/BOOT")).mountPointText()).isEqualTo("/boot/efi");
		assertThat(table.containing(bytes("/boot/efiX")).mountPointText()).isEqualTo("/boot");
		assertThat(table.containing(bytes("/mnt/nas/archive2")).mountPointText()).isEqualTo("/mnt/nas");
	}

	@Test
	void isAtOrUnderComparesWholeComponents() {
		assertThat(MountTable.isAtOrUnder(bytes("/mnt/a"), bytes("/mnt/a"))).isTrue();
		assertThat(MountTable.isAtOrUnder(bytes("/mnt/a/b"), bytes("/mnt/a"))).isTrue();
		assertThat(MountTable.isAtOrUnder(bytes("/mnt/ab"), bytes("/mnt/a"))).isFalse();
		assertThat(MountTable.isAtOrUnder(bytes("/mnt"), bytes("/mnt/a"))).isFalse();
		assertThat(MountTable.isAtOrUnder(bytes("/anything"), bytes("/"))).isTrue();
		assertThat(MountTable.isAtOrUnder(bytes("/"), bytes("/"))).isTrue();
	}

	@Test
	void underListsTheMountsStrictlyBelowAPathInTableOrder() throws IOException {
		MountTable table = sample("desktop.mountinfo");

		assertThat(table.under(bytes("/boot"))).extracting(Mount::mountPointText).containsExactly("/boot/efi");
		assertThat(table.under(bytes("/mnt"))).extracting(Mount::mountPointText)
			.containsExactly("/mnt/nas", "/mnt/nas/archive", "/mnt/usb");
		assertThat(table.under(bytes("/mn"))).isEmpty();
		assertThat(table.under(bytes("/home/alice"))).isEmpty();
		assertThat(table.under(bytes("/"))).hasSize(34);
	}

	@Test
	void theDeviceNumberMatchesWhatStatReports() throws IOException {
		MountTable table = MountTable.read();

		for (String path : List.of("/", "/proc")) {
			long dev = (Long) Files.readAttributes(Path.of(path), "unix:dev", LinkOption.NOFOLLOW_LINKS).get("dev");
			assertThat(table.containing(bytes(path)).device()).as(path).isEqualTo(dev);
		}
		// glibc's makedev for numbers beyond 8 bits: a minor of 300, a major of 4096.
		assertThat(Mount.device(0, 300)).isEqualTo((300 & 0xff) | ((300L & ~0xff) << 12));
		assertThat(Mount.device(4096, 1)).isEqualTo((4096L << 32) | 1);
		assertThat(Mount.device(259, 2)).isEqualTo((259L << 8) | 2);
	}

	static MountTable sample(String name) throws IOException {
		try (InputStream in = MountTableTests.class.getResourceAsStream("/mount/" + name)) {
			assertThat(in).as(name).isNotNull();
			return MountTable.parse(in.readAllBytes());
		}
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] all = new byte[length];
		int at = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, at, part.length);
			at += part.length;
		}
		return all;
	}

}
