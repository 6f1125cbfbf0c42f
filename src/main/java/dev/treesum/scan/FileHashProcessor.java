package dev.treesum.scan;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

import dev.treesum.walk.TerminalEscaping;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Completes each entry's record: a regular file's digest from its reading (started ahead
 * by the reader), or carried over from the previous scan; anything else passes through
 * unread. Unreadable or changing files are records too, never failures. A stop that
 * cannot wait for the chunk to finish interrupts it, and the chunk rolls back.
 */
class FileHashProcessor implements ItemProcessor<ListedFile, FileRecord> {

	private final CarryOverRule rule;

	private final BooleanSupplier abandon;

	private final Duration pause;

	/**
	 * Create a processor.
	 * @param rule how old a carried-over digest becomes
	 * @param abandon whether to roll the chunk back now rather than finish it
	 * @param pause how long to wait after each regular file read, to spare a busy disk
	 */
	FileHashProcessor(CarryOverRule rule, BooleanSupplier abandon, Duration pause) {
		this.rule = rule;
		this.abandon = abandon;
		this.pause = pause;
	}

	@Override
	public FileRecord process(ListedFile item) throws JobInterruptedException {
		if (this.abandon.getAsBoolean()) {
			throw new JobInterruptedException("Stopped before the chunk was finished: it is rolled back");
		}
		if (item.entry().kind() != FileKind.FILE || item.entry().status() != FileStatus.OK) {
			return FileRecord.unread(item.entry(), item.pathNo());
		}
		if (item.reading() == null) {
			return new FileRecord(item.entry(), item.pathNo(), item.previous().digest(), FileStatus.OK, null, 0,
					this.rule.carriedAge(item.previous()), false);
		}
		FileReading reading = await(item);
		pause();
		return new FileRecord(item.entry(), item.pathNo(), reading.digest(), reading.status(), reading.error(),
				reading.bytesRead(), (reading.digest() != null) ? 0 : -1, item.reverified());
	}

	private static FileReading await(ListedFile item) throws JobInterruptedException {
		try {
			return item.reading().get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new JobInterruptedException("Interrupted");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof ReadAheadHasher.Abandoned) {
				throw new JobInterruptedException("Stopped while reading "
						+ TerminalEscaping.escape(item.entry().bytes()) + ": the chunk is rolled back");
			}
			throw new IllegalStateException("Cannot read " + TerminalEscaping.escape(item.entry().bytes()),
					ex.getCause());
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

}
