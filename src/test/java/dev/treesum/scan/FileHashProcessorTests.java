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
import java.util.function.LongConsumer;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;
import dev.treesum.walk.FileTreeWalker;
import dev.treesum.walk.PathBytes;
import dev.treesum.TestTrees;
import dev.treesum.hash.FileHasher;
import dev.treesum.hash.HashAlgorithm;
import dev.treesum.hash.IoConcurrencyController;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reading and processing entries the walker really listed, as the reader and the
 * processor do: a file that vanishes or changes while it is read gets a status and no
 * digest, an unchanged one gets the digest {@code sha256sum} computes, and nothing but a
 * regular file is opened.
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

		FileRecord record = process(entry);

		assertThat(record.status()).isEqualTo(FileStatus.VANISHED);
		assertThat(record.content()).isNull();
		assertThat(record.error()).isNotBlank();
		assertThat(record.entry()).isSameAs(entry);
	}

	@Test
	void aFileTruncatedWhileItIsReadIsChangedDuringReadWithoutADigest() throws Exception {
		Path file = randomFile("shrinking", 3 * BUFFER + 5);
		FileEntry entry = listed(file);
		List<Long> progress = new ArrayList<>();
		FileRecord record = process(entry, (read) -> {
			progress.add(read);
			if (progress.size() == 1) {
				truncate(file, 1000);
			}
		});

		assertThat(progress.get(0)).as("truncated after the first buffer").isLessThan(entry.size());
		assertThat(record.status()).isEqualTo(FileStatus.CHANGED_DURING_READ);
		assertThat(record.content()).isNull();
		assertThat(record.error()).contains("listed with " + (3 * BUFFER + 5) + " bytes");
	}

	@Test
	void aFileRewrittenInPlaceWhileItIsReadIsChangedDuringRead() throws Exception {
		Path file = randomFile("rewritten", 2 * BUFFER + 1);
		FileEntry entry = listed(file);
		List<Long> progress = new ArrayList<>();
		FileRecord record = process(entry, (read) -> {
			progress.add(read);
			if (progress.size() == 1) {
				// Same size, new content: only the modification time tells.
				overwriteTail(file);
				setModified(file, entry.mtimeNanos() + TimeUnit.SECONDS.toNanos(1));
			}
		});

		assertThat(record.status()).isEqualTo(FileStatus.CHANGED_DURING_READ);
		assertThat(record.content()).isNull();
		assertThat(record.error()).contains("new modification time");
	}

	@Test
	void anUnchangedFileGetsTheDigestSha256sumComputes() throws Exception {
		for (int size : new int[] { 0, 1, BUFFER - 1, BUFFER, BUFFER + 1, 3 * BUFFER + 17 }) {
			Path file = randomFile("file-" + size, size);
			FileEntry entry = listed(file);

			FileRecord record = process(entry);

			assertThat(record.status()).as("size %d", size).isEqualTo(FileStatus.OK);
			assertThat(record.error()).as("size %d", size).isNull();
			assertThat(record.verifiedAge()).as("size %d", size).isZero();
			assertThat(HexFormat.of().formatHex(record.content())).as("size %d", size)
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
		// Opening a FIFO for reading blocks until a writer comes, which none will.
		FileRecord fifo = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> process(listed(pipe)));
		FileRecord symlink = process(listed(link));
		FileEntry failed = FileEntry.failed(directory, PathBytes.of(directory), PathBytes.of(directory.getFileName()),
				FileKind.DIRECTORY, null, FileStatus.UNREADABLE, "Permission denied");
		FileRecord unreadable = process(failed);

		assertThat(fifo.entry().kind()).isEqualTo(FileKind.FIFO);
		assertThat(fifo.status()).isEqualTo(FileStatus.OK);
		assertThat(fifo.content()).isNull();
		assertThat(fifo.verifiedAge()).isNegative();
		assertThat(symlink.entry().kind()).isEqualTo(FileKind.SYMLINK);
		assertThat(symlink.status()).isEqualTo(FileStatus.OK);
		assertThat(symlink.content()).as("the link's target, not a digest").isEqualTo("target".getBytes());
		assertThat(symlink.verifiedAge()).isNegative();
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
		FileRecord record = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> process(entry));

		assertThat(record.entry().kind()).isEqualTo(FileKind.CHAR_DEVICE);
		assertThat(record.status()).isEqualTo(FileStatus.OK);
		assertThat(record.content()).isNull();
	}

	private FileRecord process(FileEntry entry) throws Exception {
		return process(entry, (read) -> {
		});
	}

	/**
	 * Read and process an entry as a partition does: the reader starts reading a regular
	 * file that is OK, the processor completes the record.
	 */
	private FileRecord process(FileEntry entry, LongConsumer progress) throws Exception {
		try (ReadAheadHasher reader = new ReadAheadHasher("test", this.hasher, IoConcurrencyController.fixed(1),
				() -> false, progress)) {
			boolean read = entry.kind() == FileKind.FILE && entry.status() == FileStatus.OK;
			ListedFile listed = new ListedFile(entry, 1, null, read ? reader.read(entry) : null, false);
			return new FileHashProcessor(CarryOverRule.NONE, () -> false, Duration.ZERO).process(listed);
		}
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
