package dev.treesum.scan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A scan as {@code status} shows it, read from the {@code treesum_scan_status} view.
 *
 * @param id the scan id
 * @param host the host it belongs to
 * @param roots its roots
 * @param algorithm the digest algorithm
 * @param state the state of its latest attempt: {@code COMPLETED}, {@code FAILED},
 * {@code STOPPED}, {@code STARTED}, ...
 * @param attempts how many times it was started or resumed
 * @param partitions partitions in all
 * @param partitionsDone partitions completed
 * @param files entries recorded
 * @param bytes bytes of regular files recorded
 * @param errors entries that could not be examined or hashed
 * @param startedAt when its first attempt started, or {@code null}
 * @param endedAt when its latest attempt ended, or {@code null} while it runs
 */
public record ScanStatus(long id, String host, List<String> roots, String algorithm, String state, int attempts,
		int partitions, int partitionsDone, long files, long bytes, long errors, Instant startedAt, Instant endedAt) {

	/**
	 * Return how long the scan ran, from its first start to its latest end or to now.
	 * @return the duration, zero before it started
	 */
	public Duration duration() {
		if (this.startedAt == null) {
			return Duration.ZERO;
		}
		return Duration.between(this.startedAt, (this.endedAt != null) ? this.endedAt : Instant.now());
	}

	public boolean isCompleted() {
		return "COMPLETED".equals(this.state);
	}

}
