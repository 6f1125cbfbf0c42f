package dev.treesum.scan;

import dev.treesum.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Links a scan to its job instance as soon as the job starts, so the status view can
 * follow the scan's attempts; when a scan completes, has its entries vacuumed and
 * analyzed, so that they are all visible and reports read them from the indexes alone.
 */
@Component
class ScanJobListener implements JobExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(ScanJobListener.class);

	private final PartitionRepository partitions;

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
		try {
			this.partitions.vacuum(scanId(jobExecution));
		}
		catch (DataAccessException ex) {
			// A role that does not own the tables may not vacuum them; autovacuum will.
			logger.warn("Scan {} completed; its entries are left to autovacuum: {}", scanId(jobExecution),
					Failures.rootMessage(ex));
		}
	}

	private static int scanId(JobExecution jobExecution) {
		return jobExecution.getJobParameters().getLong(ScanJobConfiguration.SCAN_ID_PARAMETER).intValue();
	}

}
