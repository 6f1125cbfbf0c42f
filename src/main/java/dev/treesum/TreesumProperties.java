package dev.treesum;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of treesum, each also settable as {@code treesum.*} in
 * {@code application.yml}, as {@code --treesum.x=y} or as an environment variable
 * ({@code TREESUM_X}). Command-line options override them.
 *
 * @param home where the embedded database keeps its data ({@code $TREESUM_HOME})
 * @param host the host scans belong to; empty for this machine's name
 * @param algorithm the digest algorithm of new scans
 * @param threads partitions run at once; 0 for one per available processor
 * @param chunkSize files committed per transaction
 * @param excludes glob patterns left out of every scan
 * @param progressInterval how often a long partition logs its progress
 * @param stopTimeout how long SIGTERM or SIGINT may take to stop a scan; the first half
 * lets the chunk in progress finish, then it is rolled back
 * @param heartbeatInterval how often a running scan says it is alive
 * @param staleAfter how old a heartbeat must be before a scan owned by a process on
 * another machine counts as abandoned
 * @param pausePerFile a pause after each file, to spare a busy disk
 */
@ConfigurationProperties("treesum")
public record TreesumProperties(Path home, String host, @DefaultValue("sha256") String algorithm,
		@DefaultValue("0") int threads, @DefaultValue("500") int chunkSize, @DefaultValue List<String> excludes,
		@DefaultValue("5s") Duration progressInterval, @DefaultValue("20s") Duration stopTimeout,
		@DefaultValue("5s") Duration heartbeatInterval, @DefaultValue("60s") Duration staleAfter,
		@DefaultValue("0s") Duration pausePerFile) {

	/** The default of {@link #stopTimeout()}. */
	public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(20);

	/**
	 * Return the number of partitions to run at once.
	 * @return {@link #threads()}, or the available processors when it is 0
	 */
	public int effectiveThreads() {
		return (this.threads > 0) ? this.threads : Runtime.getRuntime().availableProcessors();
	}

}
