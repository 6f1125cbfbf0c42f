package dev.treesum.launch;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.treesum.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;

/**
 * Refreshes a running scan's heartbeat every few seconds from a thread of its own, so
 * that a process on another machine can tell a live scan from an abandoned one.
 */
final class ScanHeartbeat implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ScanHeartbeat.class);

	private final ScheduledExecutorService executor;

	private ScanHeartbeat(ScheduledExecutorService executor) {
		this.executor = executor;
	}

	static ScanHeartbeat start(ScanRepository scans, long scanId, Duration interval) {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(() -> {
			try {
				scans.heartbeat(scanId);
			}
			catch (DataAccessException ex) {
				logger.warn("Cannot record the heartbeat of scan {}: {}", scanId, Failures.rootMessage(ex));
			}
		}, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
		return new ScanHeartbeat(executor);
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
