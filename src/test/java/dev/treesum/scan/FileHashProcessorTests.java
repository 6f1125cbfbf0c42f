package dev.treesum.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;
import dev.treesum.walk.FileTreeWalker;
import dev.treesum.walk.PathBytes;
import dev.treesum.TestTrees;
import dev.treesum.hash.FileHasher;
import dev.treesum.hash.HashAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The processor on entries the walker really listed: a file that vanishes or changes
 * while it is read gets a status and no digest, an unchanged one gets the digest
 * {@code sha256sum} computes, and nothing but a regular file is opened.
 */
class FileHashProcessorTests {

	private static final int BUFFER = FileHasher.DEFAULT_BUFFER_SIZE;

	private final FileHasher hasher = new FileHasher(HashAlgorithm.SHA256);

	@TempDir
	private Path temp;

	private Path root;

	@BeforeEach
	void createRoot() throws IOException {
		this.root = Files.createDirectory(this.temp.resolve("root")).toRealPath();
	}

	@Test
	void aFileDeletedAfterItWasListedIsRecordedVanished() throws Exception {
		Path file = Files.writeString(this.root.resolve("gone"), "soon");
		FileEntry entry = listed(file);
		Files.delete(file);

		FileRecord record = new FileHashProcessor(this.hasher).process(entry);

		assertThat(record.status()).isEqualTo(FileStatus.VANISHED);
		assertThat(record.digest()).isNull();
		assertThat(record.error()).isNotBlank();
		assertThat(record.entry()).isSameAs(entry);
	}

	@Test
	void aFileTruncatedWhileItIsReadIsChangedDuringReadWithoutADigest() throws Exception {
		Path file = randomFile("shrinking", 3 * BUFFER + 5);
		FileEntry entry = listed(file);
		List<Long> progress = new ArrayList<>();
		FileHashProcessor processor = new FileHashProcessor(this.hasher, (read) -> {
			progress.add(read);
			if (progress.size() == 1) {
				truncate(file, 1000);
			}
		});

		FileRecord record = processor.process(entry);

		assertThat(progress.get(0)).as("truncated after the first buffer").isLessThan(entry.size());
		assertThat(record.status()).isEqualTo(FileStatus.CHANGED_DURING_READ);
		assertThat(record.digest()).isNull();
		assertThat(record.error()).contains("listed with " + (3 * BUFFER + 5) + " bytes");
	}

	@Test
	void aFileRewrittenInPlaceWhileItIsReadIsChangedDuringRead() throws Exception {
		Path file = randomFile("rewritten", 2 * BUFFER + 1);
		FileEntry entry = listed(file);
		List<Long> progress = new ArrayList<>();
		FileHashProcessor processor = new FileHashProcessor(this.hasher, (read) -> {
			progress.add(read);
			if (progress.size() == 1) {
				// Same size, new content: only the modification time tells.
				overwriteTail(file);
				setModified(file, entry.mtimeNanos() + TimeUnit.SECONDS.toNanos(1));
			}
		});

		FileRecord record = processor.process(entry);

		assertThat(record.status()).isEqualTo(FileStatus.CHANGED_DURING_READ);
		assertThat(record.digest()).isNull();
		assertThat(record.error()).contains("new modification time");
	}

	@Test
	void anUnchangedFileGetsTheDigestSha256sumComputes() throws Exception {
		for (int size : new int[] { 0, 1, BUFFER - 1, BUFFER, BUFFER + 1, 3 * BUFFER + 17 }) {
			Path file = randomFile("file-" + size, size);
			FileEntry entry = listed(file);

			FileRecord record = new FileHashProcessor(this.hasher).process(entry);

			assertThat(record.status()).as("size %d", size).isEqualTo(FileStatus.OK);
			assertThat(record.error()).as("size %d", size).isNull();
			assertThat(HexFormat.of().formatHex(record.digest())).as("size %d", size)
				.isEqualTo(TestTrees.sh("sha256sum < \"$1\"", file.toString()).substring(0, 64));
		}
	}

	@Test
	void entriesThatAreNotRegularFilesArePassedThroughUnopened() throws Exception {
		Path pipe = this.root.resolve("pipe");
		TestTrees.fifo(pipe);
		Files.writeString(this.root.resolve("target"), "content");
		Path link = Files.createSymbolicLink(this.root.resolve("link"), Path.of("target"));
		Path directory = Files.createDirectory(this.root.resolve("directory"));
		FileHashProcessor processor = new FileHashProcessor(this.hasher);

		// Opening a FIFO for reading blocks until a writer comes, which none will.
		FileRecord fifo = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> processor.process(listed(pipe)));
		FileRecord symlink = processor.process(listed(link));
		FileEntry failed = FileEntry.failed(directory, PathBytes.of(directory), PathBytes.of(directory.getFileName()),
				FileKind.DIRECTORY, FileStatus.UNREADABLE, "Permission denied");
		FileRecord unreadable = processor.process(failed);

		assertThat(fifo.entry().kind()).isEqualTo(FileKind.FIFO);
		assertThat(fifo.status()).isEqualTo(FileStatus.OK);
		assertThat(fifo.digest()).isNull();
		assertThat(symlink.entry().kind()).isEqualTo(FileKind.SYMLINK);
		assertThat(symlink.status()).isEqualTo(FileStatus.OK);
		assertThat(symlink.digest()).as("the link's target is not hashed").isNull();
		assertThat(unreadable.status()).isEqualTo(FileStatus.UNREADABLE);
		assertThat(unreadable.error()).isEqualTo("Permission denied");
	}

	@Test
	void aCharacterDeviceIsNotOpened() throws Exception {
		Path zero = this.root.resolve("zero");
		try {
			TestTrees.sh("mknod \"$1\" c 1 5", zero.toString());
		}
		catch (IOException ex) {
			assumeTrue(false, "cannot make a device node here: " + ex.getMessage());
		}
		FileEntry entry = listed(zero);

		// Reading /dev/zero never ends.
		FileRecord record = assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> new FileHashProcessor(this.hasher).process(entry));

		assertThat(record.entry().kind()).isEqualTo(FileKind.CHAR_DEVICE);
		assertThat(record.status()).isEqualTo(FileStatus.OK);
		assertThat(record.digest()).isNull();
	}

	/**
	 * Return the entry the walker lists for a file directly under the root.
	 */
	private FileEntry listed(Path file) throws IOException {
		FileTreeWalker walker = new FileTreeWalker(this.root, List.of(), null);
		for (FileEntry entry = walker.next(); entry != null; entry = walker.next()) {
			if (entry.path().equals(file)) {
				return entry;
			}
		}
		throw new AssertionError("the walker did not list " + file);
	}

	private Path randomFile(String name, int size) throws IOException {
		byte[] content = new byte[size];
		new Random(size).nextBytes(content);
		return Files.write(this.root.resolve(name), content);
	}

	private static void truncate(Path file, long size) {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.truncate(size);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void overwriteTail(Path file) {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(new byte[] { 1, 2, 3, 4 }), channel.size() - 4);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void setModified(Path file, long nanos) {
		try {
			Files.setLastModifiedTime(file, FileTime.from(nanos, TimeUnit.NANOSECONDS));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
