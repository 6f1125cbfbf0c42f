package dev.treesum.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;
import dev.treesum.walk.IoErrors;
import dev.treesum.walk.TerminalEscaping;

import dev.treesum.hash.FileHasher;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Hashes regular files and passes everything else through unopened. A file whose size or
 * modification time moved while it was read is recorded as changed during read, without a
 * digest; one that could not be read is recorded with the reason. Neither fails the scan.
 * A stop that cannot wait for the chunk to finish interrupts it, and the chunk rolls
 * back.
 */
class FileHashProcessor implements ItemProcessor<FileEntry, FileRecord> {

	/** Tells nobody how far the reading of a file got. */
	static final LongConsumer NO_PROGRESS = (bytes) -> {
	};

	private final FileHasher hasher;

	private final LongConsumer progress;

	private final BooleanSupplier abandon;

	private final Duration pause;

	private final PreviousDigests previous;

	FileHashProcessor(FileHasher hasher) {
		this(hasher, NO_PROGRESS);
	}

	/**
	 * Create a processor that also reports the bytes read of each file as it goes.
	 */
	FileHashProcessor(FileHasher hasher, LongConsumer progress) {
		this(hasher, progress, () -> false, Duration.ZERO, PreviousDigests.NONE);
	}

	/**
	 * Create a processor that gives up the chunk in progress when told to, even in the
	 * middle of a large file, and that may pause after each file to spare a busy disk.
	 * @param hasher the hasher
	 * @param progress told the bytes read of each file as it goes
	 * @param abandon whether to roll the chunk back now rather than finish it
	 * @param pause how long to wait after each regular file
	 * @param previous digests to carry over unread ({@code --incremental})
	 */
	FileHashProcessor(FileHasher hasher, LongConsumer progress, BooleanSupplier abandon, Duration pause,
			PreviousDigests previous) {
		this.hasher = hasher;
		this.progress = progress;
		this.abandon = abandon;
		this.pause = pause;
		this.previous = previous;
	}

	@Override
	public FileRecord process(FileEntry entry) throws JobInterruptedException {
		if (this.abandon.getAsBoolean()) {
			throw new JobInterruptedException("Stopped before the chunk was finished: it is rolled back");
		}
		if (entry.kind() != FileKind.FILE || entry.status() != FileStatus.OK) {
			return FileRecord.of(entry);
		}
		byte[] unchanged = this.previous.find(entry);
		if (unchanged != null) {
			return new FileRecord(entry, unchanged, FileStatus.OK, null, 0, true);
		}
		FileHasher.Digest digest;
		try {
			digest = this.hasher.hash(entry.path(), this::reportProgress);
			pause();
		}
		catch (Abandoned ex) {
			throw new JobInterruptedException(
					"Stopped while reading " + TerminalEscaping.escape(entry.bytes()) + ": the chunk is rolled back");
		}
		catch (IOException ex) {
			return new FileRecord(entry, null, IoErrors.status(ex), IoErrors.message(ex));
		}
		try {
			Map<String, Object> after = Files.readAttributes(entry.path(), "unix:size,lastModifiedTime",
					LinkOption.NOFOLLOW_LINKS);
			long size = (Long) after.get("size");
			long mtime = ((FileTime) after.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
			if (size != entry.size() || mtime != entry.mtimeNanos() || digest.length() != entry.size()) {
				return new FileRecord(entry, null, FileStatus.CHANGED_DURING_READ,
						"listed with " + entry.size() + " bytes, read " + digest.length() + ", now " + size
								+ ((mtime != entry.mtimeNanos()) ? " with a new modification time" : ""),
						digest.length(), false);
			}
		}
		catch (IOException ex) {
			return new FileRecord(entry, null, IoErrors.status(ex), IoErrors.message(ex) + " after it was read");
		}
		return new FileRecord(entry, digest.bytes(), FileStatus.OK, null, digest.length(), false);
	}

	private void reportProgress(long bytes) {
		this.progress.accept(bytes);
		if (this.abandon.getAsBoolean()) {
			throw new Abandoned();
		}
	}

	private void pause() throws JobInterruptedException {
		if (this.pause.isZero()) {
			return;
		}
		try {
			Thread.sleep(this.pause.toMillis(), this.pause.toNanosPart() % 1_000_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new JobInterruptedException("Interrupted");
		}
	}

	/**
	 * Unwinds a read in progress when the chunk is abandoned.
	 */
	private static final class Abandoned extends RuntimeException {

		Abandoned() {
			super(null, null, false, false);
		}

	}

}
