package dev.treesum.walk;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sorts the entries of one directory by the raw bytes of their names. A merge sort of its
 * own rather than {@link Arrays#sort(Object[], java.util.Comparator)}: that one is shared
 * with every other comparator in the process, and the compiler, seeing them all, compiled
 * it again and again during a scan (a fifth of the compiler's time on small files).
 */
final class NameSort {

	/** Runs of this many are sorted by insertion, which is quicker on so few. */
	private static final int RUN = 16;

	private NameSort() {
	}

	/**
	 * Sort siblings by name. Siblings share their parent's bytes, so comparing whole
	 * paths compares names.
	 * @param siblings entries of one directory, sorted in place
	 */
	static void sort(Path[] siblings) {
		int count = siblings.length;
		if (count < 2) {
			return;
		}
		byte[][] keys = new byte[count][];
		for (int i = 0; i < count; i++) {
			keys[i] = PathBytes.raw(siblings[i]);
		}
		// Runs sorted by insertion, then merged pairwise, bottom up: loops rather than
		// recursion, which the compiler would inline level after level.
		for (int from = 0; from < count; from += RUN) {
			insertionSort(siblings, keys, from, Math.min(from + RUN, count));
		}
		Path[] paths = siblings;
		Path[] otherPaths = new Path[count];
		byte[][] otherKeys = new byte[count][];
		for (int width = RUN; width < count; width *= 2) {
			for (int from = 0; from < count; from += 2 * width) {
				merge(paths, keys, otherPaths, otherKeys, from, Math.min(from + width, count),
						Math.min(from + 2 * width, count));
			}
			Path[] swapPaths = paths;
			paths = otherPaths;
			otherPaths = swapPaths;
			byte[][] swapKeys = keys;
			keys = otherKeys;
			otherKeys = swapKeys;
		}
		if (paths != siblings) {
			System.arraycopy(paths, 0, siblings, 0, count);
		}
	}

	/**
	 * Merge the sorted ranges {@code [from, middle)} and {@code [middle, to)} into the
	 * same range of the target arrays.
	 */
	private static void merge(Path[] paths, byte[][] keys, Path[] targetPaths, byte[][] targetKeys, int from,
			int middle, int to) {
		int left = from;
		int right = middle;
		for (int i = from; i < to; i++) {
			if (right >= to || (left < middle && Arrays.compareUnsigned(keys[left], keys[right]) <= 0)) {
				targetPaths[i] = paths[left];
				targetKeys[i] = keys[left++];
			}
			else {
				targetPaths[i] = paths[right];
				targetKeys[i] = keys[right++];
			}
		}
	}

	private static void insertionSort(Path[] paths, byte[][] keys, int from, int to) {
		for (int i = from + 1; i < to; i++) {
			Path path = paths[i];
			byte[] key = keys[i];
			int j = i - 1;
			while (j >= from && Arrays.compareUnsigned(keys[j], key) > 0) {
				paths[j + 1] = paths[j];
				keys[j + 1] = keys[j];
				j--;
			}
			paths[j + 1] = path;
			keys[j + 1] = key;
		}
	}

}
