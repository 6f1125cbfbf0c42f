package dev.treesum.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.treesum.ExitCode;
import dev.treesum.Failures;
import dev.treesum.TreesumException;
import dev.treesum.TreesumProperties;
import dev.treesum.db.ConnectionBudget;
import dev.treesum.scan.MountPartition;
import dev.treesum.scan.ScanJobConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Runs scans to the end in the calling thread: a new one, or the resumption of one that
 * failed, was stopped or was abandoned by a process that died. Only one process at a time
 * runs the scans of a host's set of roots; a session lock in the database decides which.
 */
@Service
public class ScanLauncher {

	private static final Logger logger = LoggerFactory.getLogger(ScanLauncher.class);

	private static final Duration CLAIM_WAIT = Duration.ofSeconds(3);

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job scanJob;

	private final ScanRepository scans;

	private final DataSource dataSource;

	private final TreesumProperties properties;

	private final ConnectionBudget connections;

	private final ScanMetrics metrics;

	ScanLauncher(JobOperator jobOperator, JobRepository jobRepository, Job scanJob, ScanRepository scans,
			DataSource dataSource, TreesumProperties properties, ConnectionBudget connections, ScanMetrics metrics) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.scanJob = scanJob;
		this.scans = scans;
		this.dataSource = dataSource;
		this.properties = properties;
		this.connections = connections;
		this.metrics = metrics;
	}

	/**
	 * Scan a host's roots: resume the latest scan of the same roots if it did not
	 * complete, otherwise start a new one.
	 * @param request what to scan and how
	 * @param forceNew start a new scan even if the latest one can be resumed
	 * @return how it ended
	 * @throws TreesumException if a live process runs a scan of these roots
	 */
	public ScanResult scan(ScanRequest request, boolean forceNew) {
		List<String> roots = request.roots().stream().map(Path::toString).toList();
		try (ConnectionBudget.Lease pool = this.connections.scan(request.threads());
				ScanLock lock = ScanLock.tryAcquire(this.dataSource, request.host(), ScanRepository.rootsKey(roots))) {
			Optional<ScanStatus> latest = this.scans.latest(request.host(), roots);
			if (!lock.acquired()) {
				throw alreadyRunning(claimed(latest, request.host(), roots), roots);
			}
			if (latest.isPresent() && (latest.get().isRunning() || latest.get().isResumable())) {
				ScanStatus previous = latest.get();
				recoverIfAbandoned(previous);
				if (!forceNew) {
					return resume(previous, request.threads());
				}
				logger.info("Leaving scan {} ({}) as it is and starting a new one (--new)", previous.id(),
						previous.state().toLowerCase());
			}
			long scanId = this.scans.create(request, roots);
			logger.info("Scan {} of {} on {} with {} and {} thread(s)", scanId, String.join(", ", roots),
					request.host(), request.algorithm().id(), request.threads());
			return run(scanId, request.host(), roots, request.threads());
		}
	}

	/**
	 * Resume a scan of a host that failed, was stopped or was abandoned. Another host's
	 * scan is never resumed: resuming walks this machine's roots into it.
	 * @param scanId the scan, or {@code null} for the host's latest one
	 * @param host the host whose scan it must be
	 * @param threads partitions to run at once
	 * @return how it ended
	 * @throws TreesumException if there is no such scan, it belongs to another host, it
	 * completed, or a live process runs it
	 */
	public ScanResult restart(Long scanId, String host, int threads) {
		ScanStatus scan = ((scanId != null) ? this.scans.status(scanId) : this.scans.latest(host))
			.orElseThrow(() -> nothingToResume(
					(scanId != null) ? "there is no scan " + scanId : "host " + host + " has no scan to resume"));
		if (!scan.host().equals(host)) {
			throw nothingToResume("scan " + scan.id() + " belongs to host " + scan.host() + ", not " + host
					+ ": give --host " + scan.host() + " to resume it from here");
		}
		if (scan.isCompleted()) {
			throw nothingToResume("scan " + scan.id() + " completed: there is nothing to resume");
		}
		try (ConnectionBudget.Lease pool = this.connections.scan(threads);
				ScanLock lock = ScanLock.tryAcquire(this.dataSource, scan.host(),
						ScanRepository.rootsKey(scan.roots()))) {
			if (!lock.acquired()) {
				throw alreadyRunning(scan, scan.roots());
			}
			ScanStatus current = this.scans.status(scan.id()).orElseThrow();
			if (!current.isRunning() && !current.isResumable()) {
				throw nothingToResume(
						"scan " + scan.id() + " is " + current.state().toLowerCase() + ": there is nothing to resume");
			}
			recoverIfAbandoned(current);
			return resume(current, threads);
		}
	}

	/**
	 * Mark the latest attempt of a scan failed if it still claims to run but its owner is
	 * gone, so that it can be restarted.
	 * @throws TreesumException if the evidence says its owner is alive
	 */
	private void recoverIfAbandoned(ScanStatus scan) {
		if (!scan.isRunning()) {
			return;
		}
		if (scan.owner() != null && !scan.owner().isGone(scan.heartbeatAt(), this.properties.staleAfter())) {
			throw alreadyRunning(scan, scan.roots());
		}
		JobExecution last = this.jobRepository.getLastJobExecution(ScanJobConfiguration.JOB_NAME, identity(scan.id()));
		if (last != null && last.getStatus().isRunning()) {
			logger.info("Scan {} was abandoned by {}: marking its attempt failed to resume it", scan.id(),
					(scan.owner() != null) ? scan.owner() : "a process that is gone");
			this.jobOperator.recover(last);
		}
	}

	private ScanResult resume(ScanStatus scan, int threads) {
		logger.info("Resuming scan {} of {} (attempt {}): {} of {} partitions done, {} files stored", scan.id(),
				String.join(", ", scan.roots()), scan.attempts() + 1, scan.partitionsDone(), scan.partitions(),
				scan.files());
		return run(scan.id(), scan.host(), scan.roots(), threads);
	}

	private ScanResult run(long scanId, String host, List<String> roots, int threads) {
		this.metrics.begin(host, roots);
		ScanResult result = run(scanId, threads);
		this.metrics.record(result);
		return result;
	}

	private ScanResult run(long scanId, int threads) {
		this.scans.claim(scanId, ScanOwner.current());
		JobExecution execution;
		try (ScanHeartbeat heartbeat = ScanHeartbeat.start(this.scans, scanId, this.properties.heartbeatInterval());
				StopSignal.Registration stop = StopSignal.onStop(() -> stop(scanId))) {
			if (StopSignal.isRequested()) {
				return result(scanId, BatchStatus.STOPPED, "stopped before it started");
			}
			JobParameters parameters = new JobParametersBuilder(identity(scanId))
				.addLong(ScanJobConfiguration.THREADS_PARAMETER, (long) threads, false)
				.toJobParameters();
			execution = this.jobOperator.start(this.scanJob, parameters);
		}
		catch (DataAccessException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot start scan " + scanId + ": " + Failures.rootMessage(ex), ex);
		}
		String failure = (execution.getStatus() == BatchStatus.STOPPED) ? "stopped by a signal" : failure(execution);
		return result(scanId, execution.getStatus(), failure);
	}

	/**
	 * Ask the running job to stop at its next chunk boundary, as another process would:
	 * on a fresh copy of the execution, through the job repository.
	 */
	private void stop(long scanId) {
		JobExecution execution = this.jobRepository.getLastJobExecution(ScanJobConfiguration.JOB_NAME,
				identity(scanId));
		if (execution == null || !execution.getStatus().isRunning()) {
			return;
		}
		try {
			this.jobOperator.stop(execution);
		}
		catch (JobExecutionNotRunningException ex) {
			// it ended meanwhile
		}
	}

	/**
	 * Say why a scan failed: a failed partition's own cause, with its root, rather than
	 * the partition step's "unsuccessful step" that wraps it.
	 */
	private static String failure(JobExecution execution) {
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStepName().startsWith(ScanJobConfiguration.MOUNT_STEP + ":")
					&& !step.getFailureExceptions().isEmpty()) {
				return MountPartition.from(step.getExecutionContext()).root() + ": "
						+ Failures.rootMessage(step.getFailureExceptions().get(0));
			}
		}
		return execution.getAllFailureExceptions().stream().findFirst().map(Failures::rootMessage).orElse(null);
	}

	private ScanResult result(long scanId, BatchStatus batchStatus, String failure) {
		ScanStatus status = null;
		ScanVerdict verdict = null;
		try {
			status = this.scans.status(scanId).orElse(null);
			if (batchStatus == BatchStatus.COMPLETED) {
				verdict = this.scans.verdict(scanId);
			}
		}
		catch (DataAccessException ex) {
			failure = (failure != null) ? failure : Failures.rootMessage(ex);
		}
		return new ScanResult(scanId, batchStatus, failure, status, verdict);
	}

	/**
	 * Return the scan that the lock's holder runs. The holder claims its scan right after
	 * taking the lock; a moment's wait lets the message name the scan and its process
	 * rather than say that one is starting.
	 */
	private ScanStatus claimed(Optional<ScanStatus> latest, String host, List<String> roots) {
		long deadline = System.nanoTime() + CLAIM_WAIT.toNanos();
		Optional<ScanStatus> scan = latest;
		try {
			while (!scan.filter((found) -> found.isRunning() && found.owner() != null).isPresent()
					&& System.nanoTime() < deadline) {
				Thread.sleep(100);
				scan = this.scans.latest(host, roots);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return scan.orElse(null);
	}

	private static TreesumException nothingToResume(String message) {
		return new TreesumException(ExitCode.USAGE, message);
	}

	private static TreesumException alreadyRunning(ScanStatus scan, List<String> roots) {
		if (scan == null || scan.owner() == null) {
			return new TreesumException(ExitCode.ALREADY_RUNNING,
					"a scan of " + String.join(", ", roots) + " is starting in another process");
		}
		String heartbeat = (scan.heartbeatAt() != null)
				? ", last heartbeat " + Duration.between(scan.heartbeatAt(), Instant.now()).toSeconds() + " s ago" : "";
		return new TreesumException(ExitCode.ALREADY_RUNNING,
				"scan " + scan.id() + " of " + String.join(", ", roots) + " is running in " + scan.owner() + heartbeat);
	}

	private static JobParameters identity(long scanId) {
		return new JobParametersBuilder().addLong(ScanJobConfiguration.SCAN_ID_PARAMETER, scanId).toJobParameters();
	}

}
