package dev.treesum.launch;

import java.nio.file.Path;
import java.util.List;

import dev.treesum.hash.HashAlgorithm;

/**
 * A scan to run, as the command line asked for it.
 *
 * @param roots the directories to scan, absolute and without symbolic links
 * @param algorithm the digest algorithm
 * @param excludes glob patterns to leave out
 * @param threads partitions to run at once
 * @param host the host the scan belongs to
 * @param allMounts whether the roots are every local file system ({@code --all-mounts})
 * @param ioConcurrency files read at once per partition, 0 for auto
 * @param incremental whether unchanged files take the previous scan's digest unread
 * @param reverifyPercent with {@code incremental}: the share of the bytes that would be
 * carried over to read again, least recently verified first; 0 for none
 */
public record ScanRequest(List<Path> roots, HashAlgorithm algorithm, List<String> excludes, int threads, String host,
		boolean allMounts, int ioConcurrency, boolean incremental, double reverifyPercent) {
}
