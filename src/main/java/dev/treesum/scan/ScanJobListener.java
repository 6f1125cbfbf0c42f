package dev.treesum.scan;

import java.util.concurrent.CompletableFuture;

import dev.treesum.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Links a scan to its job instance as soon as the job starts, so the status view can
 * follow the scan's attempts; when a scan completes, has its entries vacuumed and
 * analyzed, so that they are all visible and reports read them from the indexes alone.
 * The vacuum runs beside what the command does next (the comparison with the previous
 * scan that its last line reports), and the application waits for it before it closes.
 */
@Component
class ScanJobListener implements JobExecutionListener, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ScanJobListener.class);

	private final PartitionRepository partitions;

	private volatile CompletableFuture<Void> vacuum = CompletableFuture.completedFuture(null);

	ScanJobListener(PartitionRepository partitions) {
		this.partitions = partitions;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.partitions.attachJobInstance(scanId(jobExecution), jobExecution.getJobInstanceId());
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		if (jobExecution.getStatus() != BatchStatus.COMPLETED) {
			return;
		}
		int scanId = scanId(jobExecution);
		this.vacuum = CompletableFuture.runAsync(() -> vacuum(scanId), (task) -> new Thread(task, "vacuum").start());
	}

	@Override
	public void destroy() {
		this.vacuum.join();
	}

	private void vacuum(int scanId) {
		try {
			this.partitions.vacuum(scanId);
		}
		catch (RuntimeException ex) {
			// A role that does not own the tables may not vacuum them, a database
			// that went away cannot: autovacuum will. The scan completed all the same.
			logger.warn("Scan {} completed; its entries are left to autovacuum: {}", scanId, Failures.rootMessage(ex));
		}
	}

	private static int scanId(JobExecution jobExecution) {
		return jobExecution.getJobParameters().getLong(ScanJobConfiguration.SCAN_ID_PARAMETER).intValue();
	}

}
