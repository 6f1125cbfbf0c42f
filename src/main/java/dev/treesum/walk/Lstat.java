package dev.treesum.walk;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * What one {@code lstat} says of an entry. The JDK's attribute views answer with maps of
 * boxed values or with {@code FileTime} objects; this reads the fields of the one object
 * the system call filled, {@code sun.nio.fs.UnixFileAttributes}, which the jar opens with
 * its {@code Add-Opens} manifest entry.
 *
 * @param mode the type and permission bits
 * @param inode the inode number
 * @param device the device of the file system holding it
 * @param links the number of hard links
 * @param uid the owner
 * @param gid the group
 * @param size the size in bytes
 * @param mtimeNanos the modification time, nanoseconds since the epoch
 * @param ctimeNanos the status change time, nanoseconds since the epoch
 */
public record Lstat(int mode, long inode, long device, int links, long uid, long gid, long size, long mtimeNanos,
		long ctimeNanos) {

	private static final MethodHandle MODE = field("st_mode", int.class);

	private static final MethodHandle INODE = field("st_ino", long.class);

	private static final MethodHandle DEVICE = field("st_dev", long.class);

	private static final MethodHandle LINKS = field("st_nlink", int.class);

	private static final MethodHandle UID = field("st_uid", int.class);

	private static final MethodHandle GID = field("st_gid", int.class);

	private static final MethodHandle SIZE = field("st_size", long.class);

	private static final MethodHandle MTIME_SECONDS = field("st_mtime_sec", long.class);

	private static final MethodHandle MTIME_NANOS = field("st_mtime_nsec", long.class);

	private static final MethodHandle CTIME_SECONDS = field("st_ctime_sec", long.class);

	private static final MethodHandle CTIME_NANOS = field("st_ctime_nsec", long.class);

	private static final long UNSIGNED_INT = 0xffffffffL;

	/**
	 * Examine an entry without following a symbolic link.
	 * @param path the entry
	 * @return what {@code lstat} says
	 * @throws IOException if it cannot be examined
	 */
	public static Lstat of(Path path) throws IOException {
		PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		try {
			return new Lstat((int) MODE.invokeExact(attributes), (long) INODE.invokeExact(attributes),
					(long) DEVICE.invokeExact(attributes), (int) LINKS.invokeExact(attributes),
					((int) UID.invokeExact(attributes)) & UNSIGNED_INT,
					((int) GID.invokeExact(attributes)) & UNSIGNED_INT, (long) SIZE.invokeExact(attributes),
					nanos((long) MTIME_SECONDS.invokeExact(attributes), (long) MTIME_NANOS.invokeExact(attributes)),
					nanos((long) CTIME_SECONDS.invokeExact(attributes), (long) CTIME_NANOS.invokeExact(attributes)));
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Cannot read the attributes of an lstat", ex);
		}
	}

	/**
	 * Return what kind of entry this is.
	 * @return the kind, from the type bits of the mode
	 */
	public FileKind kind() {
		return FileKind.ofMode(this.mode);
	}

	private static long nanos(long seconds, long nanos) {
		return seconds * 1_000_000_000L + nanos;
	}

	private static MethodHandle field(String name, Class<?> type) {
		try {
			Class<?> attributes = Class.forName("sun.nio.fs.UnixFileAttributes");
			MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(attributes, MethodHandles.lookup());
			return lookup.findGetter(attributes, name, type)
				.asType(MethodType.methodType(type, PosixFileAttributes.class));
		}
		catch (ReflectiveOperationException | IllegalAccessError | RuntimeException ex) {
			throw new IllegalStateException("treesum reads file attributes from sun.nio.fs.UnixFileAttributes"
					+ " and needs the JVM option --add-opens java.base/sun.nio.fs=ALL-UNNAMED"
					+ " (java -jar treesum.jar sets it)", ex);
		}
	}

}
