package dev.treesum.scan;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Numbers the new paths of a series' dictionary. One process at a time scans a series (it
 * holds the series' scan lock), so the numbers are handed out here, in memory, from the
 * highest number stored when the scan started: no sequence, no round trip.
 */
final class PathNumbers {

	private final AtomicInteger last;

	PathNumbers(int last) {
		this.last = new AtomicInteger(last);
	}

	int next() {
		int next = this.last.incrementAndGet();
		if (next <= 0) {
			throw new IllegalStateException("The dictionary of paths is full: more than 2^31 paths in one series");
		}
		return next;
	}

}
