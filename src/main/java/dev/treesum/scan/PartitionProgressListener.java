package dev.treesum.scan;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.treesum.Sizes;
import dev.treesum.hash.IoConcurrencyController;
import dev.treesum.walk.TerminalEscaping;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.dao.DataAccessException;

/**
 * Tells the operator what one partition does: a line when it starts, a progress line
 * every few seconds while it runs and a line with its totals and rates when it ends, with
 * how many files it read at once; that number is also stored with the partition. It tells
 * the same, chunk by chunk, to the {@link ScanProgressListener}s.
 */
class PartitionProgressListener implements StepExecutionListener, ItemWriteListener<FileRecord> {

	private static final Logger logger = LoggerFactory.getLogger(PartitionProgressListener.class);

	private static final Logger progressLogger = LoggerFactory.getLogger(ScanProgressListener.PROGRESS_LOGGER);

	private final MountPartition partition;

	private final long intervalNanos;

	private final IoConcurrencyController concurrency;

	private final PartitionRepository partitions;

	private final int scanId;

	private final List<ScanProgressListener> listeners;

	private long startNanos;

	private long lastLogNanos;

	private long files;

	private long bytes;

	private long errors;

	PartitionProgressListener(MountPartition partition, Duration interval, IoConcurrencyController concurrency,
			PartitionRepository partitions, int scanId) {
		this(partition, interval, concurrency, partitions, scanId, List.of());
	}

	PartitionProgressListener(MountPartition partition, Duration interval, IoConcurrencyController concurrency,
			PartitionRepository partitions, int scanId, List<ScanProgressListener> listeners) {
		this.partition = partition;
		this.intervalNanos = interval.toNanos();
		this.concurrency = concurrency;
		this.partitions = partitions;
		this.scanId = scanId;
		this.listeners = listeners;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.startNanos = System.nanoTime();
		this.lastLogNanos = this.startNanos;
		boolean resumed = stepExecution.getExecutionContext().containsKey(FileTreeReader.LAST_PATH_KEY);
		logger.info("{} {}: {} ({} mounted at {}, device {}, disk {}, {}{} file(s) at once{})", this.partition.name(),
				root(), resumed ? "resuming after its last committed chunk" : "started", this.partition.fsType(),
				this.partition.mountPoint(), this.partition.device(), this.partition.disk(),
				this.partition.ioAuto() ? "auto, " : "", this.partition.ioConcurrency(),
				this.partition.ioAuto() ? " to start" : "");
		this.listeners.forEach((listener) -> listener.partitionStarted(this.partition, resumed));
	}

	@Override
	public void afterWrite(Chunk<? extends FileRecord> items) {
		long chunkBytes = 0;
		long chunkErrors = 0;
		for (FileRecord record : items) {
			chunkBytes += record.countedBytes();
			chunkErrors += record.isError() ? 1 : 0;
		}
		this.files += items.size();
		this.bytes += chunkBytes;
		this.errors += chunkErrors;
		for (ScanProgressListener listener : this.listeners) {
			listener.chunkWritten(this.partition, items.size(), chunkBytes, chunkErrors);
		}
		long now = System.nanoTime();
		if (now - this.lastLogNanos >= this.intervalNanos) {
			this.lastLogNanos = now;
			progressLogger.info("{} {}: {}", this.partition.name(), root(), totals(now));
		}
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		String state = stepExecution.getStatus().toString().toLowerCase(Locale.ROOT);
		this.listeners.forEach((listener) -> listener.partitionEnded(this.partition, state));
		logger.info("{} {}: {} {}; files read at once: {}", this.partition.name(), root(), state,
				totals(System.nanoTime()), this.concurrency.describe());
		try {
			this.partitions.recordIoConcurrency(this.scanId, this.partition.part(), this.concurrency.chosen());
		}
		catch (DataAccessException ex) {
			// The partition failed with the database; its failure says so.
		}
		return null;
	}

	/**
	 * The root as people read names: its exact bytes escaped as {@code ls} shows them.
	 */
	private String root() {
		return TerminalEscaping.escape(this.partition.rootBytes());
	}

	private String totals(long now) {
		double seconds = Math.max((now - this.startNanos) / 1e9, 1e-3);
		return String.format("%,d files, %s, %,d errors in %.1f s (%,.0f files/s, %s/s)", this.files,
				Sizes.bytes(this.bytes), this.errors, seconds, this.files / seconds,
				Sizes.bytes((long) (this.bytes / seconds)));
	}

}
