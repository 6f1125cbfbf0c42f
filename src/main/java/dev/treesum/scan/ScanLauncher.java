package dev.treesum.scan;

import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Creates a scan and runs its job to the end, in the calling thread.
 */
@Service
public class ScanLauncher {

	private static final Logger logger = LoggerFactory.getLogger(ScanLauncher.class);

	private final JobOperator jobOperator;

	private final Job scanJob;

	private final ScanRepository scans;

	ScanLauncher(JobOperator jobOperator, Job scanJob, ScanRepository scans) {
		this.jobOperator = jobOperator;
		this.scanJob = scanJob;
		this.scans = scans;
	}

	/**
	 * Run a new scan.
	 * @param request what to scan and how
	 * @return how it ended
	 */
	public ScanResult scan(ScanRequest request) {
		List<String> roots = request.roots().stream().map(Path::toString).toList();
		long scanId = this.scans.create(request.host(), roots, request.algorithm().id(), request.excludes());
		logger.info("Scan {} of {} on {} with {} and {} thread(s)", scanId, String.join(", ", roots), request.host(),
				request.algorithm().id(), request.threads());
		JobParameters parameters = new JobParametersBuilder().addLong(ScanJobConfiguration.SCAN_ID_PARAMETER, scanId)
			.addLong(ScanJobConfiguration.THREADS_PARAMETER, (long) request.threads(), false)
			.toJobParameters();
		JobExecution execution;
		try {
			execution = this.jobOperator.start(this.scanJob, parameters);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot start scan " + scanId + ": " + ex.getMessage(), ex);
		}
		return result(scanId, execution);
	}

	private ScanResult result(long scanId, JobExecution execution) {
		String failure = execution.getAllFailureExceptions()
			.stream()
			.findFirst()
			.map(ScanLauncher::describe)
			.orElse(null);
		ScanStatus status;
		try {
			status = this.scans.status(scanId).orElse(null);
		}
		catch (DataAccessException ex) {
			status = null;
			failure = (failure != null) ? failure : describe(ex);
		}
		return new ScanResult(scanId, execution.getStatus(), failure, status);
	}

	/**
	 * Say what went wrong in one line: the innermost cause is the one that names the real
	 * problem (a refused connection, a full disk), the outer ones only say where.
	 */
	static String describe(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		int newline = message.indexOf('\n');
		return (newline >= 0) ? message.substring(0, newline) : message;
	}

}
