package dev.treesum.launch;

import org.springframework.batch.core.BatchStatus;

/**
 * How one run of a scan ended.
 *
 * @param scanId the scan id
 * @param batchStatus the job execution's status
 * @param failure why it failed, or {@code null}
 * @param status the scan after the run with its totals, or {@code null} when the database
 * could not say
 * @param verdict what a completed scan found against the previous one, or {@code null}
 * when it did not complete
 */
public record ScanResult(long scanId, BatchStatus batchStatus, String failure, ScanStatus status, ScanVerdict verdict) {
}
