package dev.treesum.launch;

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
 * @param owner the process that runs or last ran it, or {@code null}
 * @param heartbeatAt when its owner last said it was alive, or {@code null}
 */
public record ScanStatus(long id, String host, List<String> roots, String algorithm, String state, int attempts,
		int partitions, int partitionsDone, long files, long bytes, long errors, Instant startedAt, Instant endedAt,
		ScanOwner owner, Instant heartbeatAt) {

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

	/**
	 * Return whether the scan's latest attempt is (or claims to be) still running:
	 * started, stopping, or created and not yet started.
	 * @return {@code true} unless it ended
	 */
	public boolean isRunning() {
		return switch (this.state) {
			case "STARTING", "STARTED", "STOPPING" -> true;
			default -> false;
		};
	}

	/**
	 * Return whether the scan can be resumed: it ended without completing.
	 * @return {@code true} if failed or stopped
	 */
	public boolean isResumable() {
		return "FAILED".equals(this.state) || "STOPPED".equals(this.state);
	}

}
