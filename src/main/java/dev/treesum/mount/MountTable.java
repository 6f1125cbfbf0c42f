package dev.treesum.mount;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mounts this process sees, as {@code /proc/self/mountinfo} lists them. Where several
 * mounts share a mount point, only the last one, on top, is visible, and only it is kept;
 * mounts on a covered mount are out of reach and left out as well.
 */
public final class MountTable {

	private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

	private final List<Mount> mounts;

	private MountTable(List<Mount> mounts) {
		this.mounts = mounts;
	}

	/**
	 * Read this process's mount table.
	 * @return the table
	 * @throws IOException if it cannot be read
	 */
	public static MountTable read() throws IOException {
		return parse(Files.readAllBytes(MOUNTINFO));
	}

	/**
	 * Parse the contents of a {@code mountinfo} file.
	 * @param mountinfo its bytes
	 * @return the table
	 */
	public static MountTable parse(byte[] mountinfo) {
		Map<String, Mount> visible = new LinkedHashMap<>();
		Map<Integer, String> hidden = new HashMap<>();
		int start = 0;
		for (int i = 0; i <= mountinfo.length; i++) {
			if (i == mountinfo.length || mountinfo[i] == '\n') {
				if (i > start) {
					Mount mount = parseLine(Arrays.copyOfRange(mountinfo, start, i));
					String key = new String(mount.mountPoint(), StandardCharsets.ISO_8859_1);
					Mount covered = visible.remove(key);
					if (covered != null) {
						hidden.put(covered.id(), key);
					}
					visible.put(key, mount);
				}
				start = i + 1;
			}
		}
		// A mount sitting on a covered mount, other than the one covering it, is out of
		// reach too, and so is everything on it: the paths that led to it now lead into
		// the mount on top.
		boolean removed = true;
		while (removed) {
			removed = visible.entrySet().removeIf((entry) -> {
				String coveredAt = hidden.get(entry.getValue().parentId());
				if (coveredAt == null || coveredAt.equals(entry.getKey())) {
					return false;
				}
				hidden.put(entry.getValue().id(), entry.getKey());
				return true;
			});
		}
		return new MountTable(List.copyOf(visible.values()));
	}

	public List<Mount> mounts() {
		return this.mounts;
	}

	/**
	 * Return the mount that holds a path: the one whose mount point is the longest prefix
	 * of it.
	 * @param path an absolute path without symbolic links, raw bytes
	 * @return the mount
	 */
	public Mount containing(byte[] path) {
		Mount best = null;
		for (Mount mount : this.mounts) {
			if (isAtOrUnder(path, mount.mountPoint())
					&& (best == null || mount.mountPoint().length >= best.mountPoint().length)) {
				best = mount;
			}
		}
		if (best == null) {
			throw new IllegalStateException("No mount holds " + new String(path, StandardCharsets.UTF_8));
		}
		return best;
	}

	/**
	 * Return the mounts strictly under a path, in table order.
	 * @param path an absolute path, raw bytes
	 * @return the mounts whose mount point is below it
	 */
	public List<Mount> under(byte[] path) {
		List<Mount> under = new ArrayList<>();
		for (Mount mount : this.mounts) {
			if (!Arrays.equals(mount.mountPoint(), path) && isAtOrUnder(mount.mountPoint(), path)) {
				under.add(mount);
			}
		}
		return under;
	}

	/**
	 * Return whether a path is a directory or lies under it, comparing whole components.
	 * @param path the path
	 * @param directory the directory
	 * @return {@code true} if {@code path} is {@code directory} or below it
	 */
	public static boolean isAtOrUnder(byte[] path, byte[] directory) {
		if (directory.length == 1 && directory[0] == '/') {
			return path.length > 0 && path[0] == '/';
		}
		if (path.length < directory.length
				|| !Arrays.equals(path, 0, directory.length, directory, 0, directory.length)) {
			return false;
		}
		return path.length == directory.length || path[directory.length] == '/';
	}

	/**
	 * Parse one line: {@code 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root
	 * rw}, where optional fields run up to the lone {@code -}.
	 */
	static Mount parseLine(byte[] line) {
		String[] fields = new String(line, StandardCharsets.ISO_8859_1).split(" ");
		int separator = Arrays.asList(fields).indexOf("-");
		if (fields.length < 10 || separator < 6 || separator + 2 >= fields.length) {
			throw new IllegalArgumentException("Not a mountinfo line: " + new String(line, StandardCharsets.UTF_8));
		}
		String[] device = fields[2].split(":");
		return new Mount(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(device[0]),
				Integer.parseInt(device[1]), unescape(fields[3]), unescape(fields[4]), fields[5],
				text(unescape(fields[separator + 1])), text(unescape(fields[separator + 2])));
	}

	/**
	 * Decode the kernel's octal escapes ({@code \040} for a space, {@code \011},
	 * {@code \012}, {@code \134}) into the raw bytes they stand for.
	 */
	static byte[] unescape(String field) {
		byte[] raw = field.getBytes(StandardCharsets.ISO_8859_1);
		ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
		for (int i = 0; i < raw.length; i++) {
			if (raw[i] == '\\' && i + 3 < raw.length && isOctal(raw[i + 1]) && isOctal(raw[i + 2])
					&& isOctal(raw[i + 3])) {
				out.write(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0'));
				i += 3;
			}
			else {
				out.write(raw[i]);
			}
		}
		return out.toByteArray();
	}

	private static boolean isOctal(byte b) {
		return b >= '0' && b <= '7';
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
