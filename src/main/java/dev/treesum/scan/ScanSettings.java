package dev.treesum.scan;

import java.util.List;

import dev.treesum.hash.HashAlgorithm;

/**
 * What a scan was asked to do; fixed when it is created, so a resumed scan does the same.
 *
 * @param id the scan id
 * @param host the host the scan belongs to
 * @param roots the absolute roots, in the order given
 * @param algorithm the digest algorithm
 * @param excludes the glob patterns left out
 * @param allMounts whether it covers every local file system ({@code --all-mounts})
 * @param ioConcurrency files read at once per partition, 0 for each disk's default
 * @param incremental whether unchanged files take the previous scan's digest unread
 */
record ScanSettings(long id, String host, List<String> roots, HashAlgorithm algorithm, List<String> excludes,
		boolean allMounts, int ioConcurrency, boolean incremental) {
}
