package dev.treesum.scan;

import java.time.Duration;
import java.util.Locale;

import dev.treesum.Sizes;
import dev.treesum.hash.IoConcurrencyController;

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
 * how many files it read at once; that number is also stored with the partition.
 */
class PartitionProgressListener implements StepExecutionListener, ItemWriteListener<FileRecord> {

	private static final Logger logger = LoggerFactory.getLogger(PartitionProgressListener.class);

	private final MountPartition partition;

	private final long intervalNanos;

	private final IoConcurrencyController concurrency;

	private final PartitionRepository partitions;

	private final int scanId;

	private long startNanos;

	private long lastLogNanos;

	private long files;

	private long bytes;

	private long errors;

	PartitionProgressListener(MountPartition partition, Duration interval, IoConcurrencyController concurrency,
			PartitionRepository partitions, int scanId) {
		this.partition = partition;
		this.intervalNanos = interval.toNanos();
		this.concurrency = concurrency;
		this.partitions = partitions;
		this.scanId = scanId;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.startNanos = System.nanoTime();
		this.lastLogNanos = this.startNanos;
		boolean resumed = stepExecution.getExecutionContext().containsKey(FileTreeReader.LAST_PATH_KEY);
		logger.info("{} {}: {} ({} mounted at {}, device {}, disk {}, {}{} file(s) at once{})", this.partition.name(),
				this.partition.root(), resumed ? "resuming after its last committed chunk" : "started",
				this.partition.fsType(), this.partition.mountPoint(), this.partition.device(), this.partition.disk(),
				this.partition.ioAuto() ? "auto, " : "", this.partition.ioConcurrency(),
				this.partition.ioAuto() ? " to start" : "");
	}

	@Override
	public void afterWrite(Chunk<? extends FileRecord> items) {
		for (FileRecord record : items) {
			this.files++;
			this.bytes += record.countedBytes();
			this.errors += record.isError() ? 1 : 0;
		}
		long now = System.nanoTime();
		if (now - this.lastLogNanos >= this.intervalNanos) {
			this.lastLogNanos = now;
			logger.info("{} {}: {}", this.partition.name(), this.partition.root(), totals(now));
		}
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		logger.info("{} {}: {} {}; files read at once: {}", this.partition.name(), this.partition.root(),
				stepExecution.getStatus().toString().toLowerCase(Locale.ROOT), totals(System.nanoTime()),
				this.concurrency.describe());
		try {
			this.partitions.recordIoConcurrency(this.scanId, this.partition.part(), this.concurrency.chosen());
		}
		catch (DataAccessException ex) {
			// The partition failed with the database; its failure says so.
		}
		return null;
	}

	private String totals(long now) {
		double seconds = Math.max((now - this.startNanos) / 1e9, 1e-3);
		return String.format("%,d files, %s, %,d errors in %.1f s (%,.0f files/s, %s/s)", this.files,
				Sizes.bytes(this.bytes), this.errors, seconds, this.files / seconds,
				Sizes.bytes((long) (this.bytes / seconds)));
	}

}
