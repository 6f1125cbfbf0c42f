package dev.treesum.scan;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import dev.treesum.hash.FileHasher;
import dev.treesum.hash.IoConcurrencyController;
import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileStatus;
import dev.treesum.walk.IoErrors;
import dev.treesum.walk.Lstat;

/**
 * Reads and hashes the regular files of one partition ahead of the chunks that will hold
 * them, as many at once as its {@link IoConcurrencyController} allows, so that a large
 * file never leaves the other cores idle. A file whose size or modification time moved
 * while it was read is reported as changed during read, without a digest; one that could
 * not be read, with the reason.
 */
final class ReadAheadHasher implements AutoCloseable {

	private final FileHasher hasher;

	private final IoConcurrencyController controller;

	private final BooleanSupplier abandon;

	private final LongConsumer progress;

	private final ExecutorService threads;

	/**
	 * Create a hasher with threads of its own.
	 * @param name the threads' name prefix, the partition's
	 * @param hasher reads and digests one file
	 * @param controller how many files are read at once
	 * @param abandon whether to give up the readings in progress now
	 * @param progress told the running count of bytes read of each file as it goes
	 */
	ReadAheadHasher(String name, FileHasher hasher, IoConcurrencyController controller, BooleanSupplier abandon,
			LongConsumer progress) {
		this.hasher = hasher;
		this.controller = controller;
		this.abandon = abandon;
		this.progress = progress;
		AtomicInteger count = new AtomicInteger();
		this.threads = Executors.newFixedThreadPool(controller.max(), (task) -> {
			Thread thread = new Thread(task, name + "-io-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Start reading a file.
	 * @param entry a regular file as listed
	 * @return its reading, which fails with {@link Abandoned} if the scan gives up
	 */
	Future<FileReading> read(FileEntry entry) {
		return this.threads.submit(() -> readNow(entry));
	}

	IoConcurrencyController controller() {
		return this.controller;
	}

	@Override
	public void close() {
		this.threads.shutdownNow();
	}

	/**
	 * Read one file in the calling thread, as a reading started ahead does.
	 * @param entry a regular file as listed
	 * @return the outcome
	 * @throws InterruptedException if interrupted while waiting for a slot
	 */
	FileReading readNow(FileEntry entry) throws InterruptedException {
		this.controller.acquire();
		long[] reported = { 0 };
		try {
			return hash(entry, reported);
		}
		finally {
			this.controller.completed(0);
		}
	}

	private FileReading hash(FileEntry entry, long[] reported) {
		FileHasher.Digest digest;
		try {
			digest = this.hasher.hash(entry.path(), entry.size(), (total) -> {
				this.controller.read(total - reported[0]);
				reported[0] = total;
				this.progress.accept(total);
				if (this.abandon.getAsBoolean()) {
					throw new Abandoned();
				}
			});
		}
		catch (IOException ex) {
			return new FileReading(null, reported[0], IoErrors.status(ex), IoErrors.message(ex));
		}
		Lstat after;
		try {
			after = Lstat.of(entry.path());
		}
		catch (IOException ex) {
			return new FileReading(null, digest.length(), IoErrors.status(ex),
					IoErrors.message(ex) + " after it was read");
		}
		if (after.size() != entry.size() || after.mtimeNanos() != entry.mtimeNanos()
				|| digest.length() != entry.size()) {
			return new FileReading(null, digest.length(), FileStatus.CHANGED_DURING_READ,
					"listed with " + entry.size() + " bytes, read " + digest.length() + ", now " + after.size()
							+ ((after.mtimeNanos() != entry.mtimeNanos()) ? " with a new modification time" : ""));
		}
		return new FileReading(digest.bytes(), digest.length(), FileStatus.OK, null);
	}

	/**
	 * Unwinds a reading in progress when the scan gives up the chunk.
	 */
	static final class Abandoned extends RuntimeException {

		Abandoned() {
			super(null, null, false, false);
		}

	}

}
