package dev.treesum.scan;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Links a scan to its job instance as soon as the job starts, so the status view can
 * follow the scan's attempts.
 */
@Component
class ScanJobListener implements JobExecutionListener {

	private final PartitionRepository partitions;

	ScanJobListener(PartitionRepository partitions) {
		this.partitions = partitions;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		Long scanId = jobExecution.getJobParameters().getLong(ScanJobConfiguration.SCAN_ID_PARAMETER);
		this.partitions.attachJobInstance(scanId, jobExecution.getJobInstanceId());
	}

}
