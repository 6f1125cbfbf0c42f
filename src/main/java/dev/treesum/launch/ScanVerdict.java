package dev.treesum.launch;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

import dev.treesum.ChangeKind;

/**
 * What a completed scan found against the previous completed scan of the same host and
 * roots: how many changes of each kind, and how many of its entries could not be examined
 * or hashed. A first scan has nothing to compare with, so no changes.
 *
 * @param baseId the scan compared with, or {@code null} for a first scan
 * @param counts the count of each kind, every kind present
 */
public record ScanVerdict(Long baseId, Map<ChangeKind, Long> counts) {

	public ScanVerdict {
		Map<ChangeKind, Long> all = new EnumMap<>(ChangeKind.class);
		for (ChangeKind kind : ChangeKind.values()) {
			all.put(kind, counts.getOrDefault(kind, 0L));
		}
		counts = Map.copyOf(all);
	}

	/**
	 * Return how many of a kind were found.
	 * @param kind the kind
	 * @return the count, 0 if none
	 */
	public long count(ChangeKind kind) {
		return this.counts.get(kind);
	}

	/**
	 * Return whether anything of the given kinds was found.
	 * @param kinds the kinds that count, such as those {@code --fail-on} names
	 * @return {@code true} if any of them has a count above 0
	 */
	public boolean anyOf(Collection<ChangeKind> kinds) {
		return kinds.stream().anyMatch((kind) -> count(kind) > 0);
	}

}
