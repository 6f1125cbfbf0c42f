package dev.treesum;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.treesum.hash.HashAlgorithm;
import dev.treesum.mount.FilesystemTypes;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of treesum, each also settable as {@code treesum.*} in
 * {@code application.yml}, as {@code --treesum.x=y} or as an environment variable
 * ({@code TREESUM_X}). Command-line options override them.
 *
 * @param home where the embedded database keeps its data ({@code $TREESUM_HOME})
 * @param schema the database schema that holds treesum's tables, Spring Batch's included
 * @param host the host scans belong to; empty for this machine's name
 * @param algorithm the digest algorithm of new scans
 * @param threads partitions run at once; 0 for one per available processor
 * @param chunkSize files committed per transaction: each chunk costs a lookup, a COPY,
 * the job repository's updates and a commit, and a killed scan does at most one chunk
 * again
 * @param excludes glob patterns left out of every scan
 * @param progressInterval how often a long partition logs its progress
 * @param stopTimeout how long SIGTERM or SIGINT may take to stop a scan; the first half
 * lets the chunk in progress finish, then it is rolled back
 * @param heartbeatInterval how often a running scan says it is alive
 * @param staleAfter how old a heartbeat must be before a scan owned by a process on
 * another machine counts as abandoned
 * @param pausePerFile a pause after each file, to spare a busy disk
 * @param ioConcurrency files read at once per partition: a number, or {@code auto} to
 * find the best number while scanning, starting from 1 on spinning disks and 4 on others
 * @param reverify with {@code --incremental}: the share of the bytes that would be
 * carried over to read again each scan, such as {@code 10%}; empty for none
 * @param pseudoFilesystems file system types never scanned below a root
 * @param notLocalFilesystems further types that {@code --all-mounts} leaves out
 * @param failOn what makes a completed scan exit with {@link ExitCode#CHANGES_FOUND},
 * found against the previous scan of the same host and roots; none by default
 */
@ConfigurationProperties("treesum")
public record TreesumProperties(Path home, @DefaultValue("treesum") String schema, String host,
		@DefaultValue("sha256") HashAlgorithm algorithm, @DefaultValue("0") int threads,
		@DefaultValue("2000") int chunkSize, @DefaultValue List<String> excludes,
		@DefaultValue("5s") Duration progressInterval, @DefaultValue("20s") Duration stopTimeout,
		@DefaultValue("5s") Duration heartbeatInterval, @DefaultValue("60s") Duration staleAfter,
		@DefaultValue("0s") Duration pausePerFile, @DefaultValue("auto") String ioConcurrency, String reverify,
		Set<String> pseudoFilesystems, Set<String> notLocalFilesystems, @DefaultValue List<ChangeKind> failOn) {

	public TreesumProperties {
		pseudoFilesystems = (pseudoFilesystems != null) ? pseudoFilesystems : FilesystemTypes.PSEUDO;
		notLocalFilesystems = (notLocalFilesystems != null) ? notLocalFilesystems : FilesystemTypes.NOT_LOCAL;
	}

	/**
	 * Return the file system types as configured.
	 * @return the types
	 */
	public FilesystemTypes filesystemTypes() {
		return new FilesystemTypes(this.pseudoFilesystems, this.notLocalFilesystems);
	}

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
