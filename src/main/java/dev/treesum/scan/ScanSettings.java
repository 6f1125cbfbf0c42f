package dev.treesum.scan;

import java.util.List;

import dev.treesum.hash.HashAlgorithm;

/**
 * What a scan was asked to do, fixed when it was created so that a resumed scan does the
 * same, and where it stands in its series.
 *
 * @param id the scan id
 * @param seriesId the series: the host's set of roots, whose scans share a dictionary of
 * paths
 * @param seriesNo the scan's number within its series
 * @param roots the absolute roots, in the order given
 * @param algorithm the digest algorithm
 * @param excludes the glob patterns left out
 * @param allMounts whether it covers every local file system ({@code --all-mounts})
 * @param ioConcurrency files read at once per partition, 0 for auto
 * @param incremental whether unchanged files take the previous scan's digest unread
 * @param reverifyPercent with {@code incremental}: the share of the bytes that would be
 * carried over to read again, least recently verified first; 0 for none
 * @param previous the previous completed scan of the series with the same algorithm, the
 * one an incremental scan takes digests from; {@code null} if there is none
 */
record ScanSettings(int id, int seriesId, int seriesNo, List<String> roots, HashAlgorithm algorithm,
		List<String> excludes, boolean allMounts, int ioConcurrency, boolean incremental, double reverifyPercent,
		PreviousScan previous) {

	/**
	 * Return the scan digests are carried over from, if any.
	 * @return the previous scan when this one is incremental, otherwise {@code null}
	 */
	PreviousScan carriedFrom() {
		return this.incremental ? this.previous : null;
	}

	/**
	 * A scan an incremental one takes digests from.
	 *
	 * @param id its id
	 * @param seriesNo its number within the series
	 */
	record PreviousScan(int id, int seriesNo) {
	}

}
