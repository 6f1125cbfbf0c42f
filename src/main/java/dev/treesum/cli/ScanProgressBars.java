package dev.treesum.cli;

import java.text.DecimalFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.treesum.Sizes;
import dev.treesum.scan.MountPartition;
import dev.treesum.scan.ScanProgressListener;
import dev.treesum.walk.PathBytes;
import dev.treesum.walk.TerminalEscaping;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.LoggerFactory;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A progress bar per running partition at the bottom of the terminal, on standard error:
 * files, bytes, rate, and, for a partition that reads a whole file system afresh, the
 * part done and an estimate of the time left from what the file system holds
 * ({@link FileSystemUsage}). Shown only when standard error is a terminal and the logs
 * are plain text that a person reads there (not {@code -q}, which silences them, nor JSON
 * logs); the periodic progress lines are then left out, the partitions' start and end
 * lines pass above the bars.
 */
@Component
class ScanProgressBars implements ScanProgressListener {

	private static final long GIB = 1L << 30;

	private final Environment environment;

	private final LoggingSystem loggingSystem;

	private final Map<String, Bar> bars = new ConcurrentHashMap<>();

	private Boolean shown;

	private StderrLines lines;

	ScanProgressBars(Environment environment, LoggingSystem loggingSystem) {
		this.environment = environment;
		this.loggingSystem = loggingSystem;
	}

	@Override
	public void partitionStarted(MountPartition partition, boolean resumed) {
		try {
			StderrLines target = lines();
			if (target != null) {
				this.bars.put(partition.name(), new Bar(partition, resumed, target.add()));
			}
		}
		catch (RuntimeException | LinkageError ex) {
			// a display that cannot show leaves the scan alone
		}
	}

	@Override
	public void chunkWritten(MountPartition partition, long files, long bytes, long errors) {
		Bar bar = this.bars.get(partition.name());
		if (bar != null) {
			bar.add(files, bytes);
		}
	}

	@Override
	public void partitionEnded(MountPartition partition, String state) {
		Bar bar = this.bars.remove(partition.name());
		if (bar != null) {
			bar.close();
			closeIfDone();
		}
	}

	/**
	 * Return the lines at the bottom of the terminal, set up with the first bar.
	 * @return the lines, or {@code null} if bars are not shown
	 */
	private synchronized StderrLines lines() {
		if (this.shown == null) {
			this.shown = LoggerFactory.getLogger("dev.treesum.scan").isInfoEnabled()
					&& !this.environment.matchesProfiles("json-logs") && Terminal.isStderrTerminal();
		}
		if (!this.shown) {
			return null;
		}
		if (this.lines == null) {
			this.lines = StderrLines.install();
			this.loggingSystem.setLogLevel(PROGRESS_LOGGER, LogLevel.WARN);
		}
		return this.lines;
	}

	private synchronized void closeIfDone() {
		if (this.lines != null && this.bars.isEmpty()) {
			this.lines.close();
			this.lines = null;
			this.loggingSystem.setLogLevel(PROGRESS_LOGGER, null);
		}
	}

	/**
	 * The bar of one partition: bytes read against the bytes its file system holds when
	 * it reads the whole of it afresh, otherwise bytes read with no end known.
	 */
	private static final class Bar {

		private final ProgressBar bar;

		private final AtomicLong files = new AtomicLong();

		private final AtomicLong bytes = new AtomicLong();

		Bar(MountPartition partition, boolean resumed, StderrLines.Line line) {
			boolean wholeFileSystem = !resumed && partition.root().equals(partition.mountPoint());
			Optional<FileSystemUsage> usage = wholeFileSystem
					? FileSystemUsage.of(PathBytes.path(partition.rootBytes())) : Optional.empty();
			long max = usage.map(FileSystemUsage::bytes).orElse(-1L);
			boolean large = max >= 100 * GIB;
			ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(taskName(partition))
				.setStyle(ProgressBarStyle.UNICODE_BLOCK)
				.setConsumer(line)
				.setUpdateIntervalMillis(500)
				.continuousUpdate()
				.setInitialMax(max)
				.setUnit(large ? " GiB" : " MiB", large ? GIB : 1L << 20)
				.showSpeed(new DecimalFormat("#,##0.0"));
			if (usage.isPresent()) {
				FileSystemUsage fileSystem = usage.get();
				builder.setEtaFunction((state) -> fileSystem.timeLeft(state.getElapsedAfterStart(), this.files.get(),
						this.bytes.get()));
			}
			else {
				builder.hideEta();
			}
			this.bar = builder.build();
		}

		void add(long files, long bytes) {
			long totalFiles = this.files.addAndGet(files);
			long totalBytes = this.bytes.addAndGet(bytes);
			if (this.bar.getMax() > 0 && totalBytes > this.bar.getMax()) {
				// more than the file system holds: hard links, sparse files
				this.bar.maxHint(totalBytes);
			}
			this.bar.stepTo(totalBytes);
			this.bar.setExtraMessage(String.format(" %,d files, %s", totalFiles, Sizes.bytes(totalBytes)));
		}

		void close() {
			this.bar.close();
		}

		private static String taskName(MountPartition partition) {
			String root = TerminalEscaping.escape(partition.rootBytes());
			return partition.name() + " " + ((root.length() > 30) ? "…" + root.substring(root.length() - 29) : root);
		}

	}

}
