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

	/** Below this, insertion sort is quicker than splitting. */
	private static final int SMALL = 16;

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
		mergeSort(siblings.clone(), keys.clone(), siblings, keys, 0, count);
	}

	/**
	 * Sort {@code paths[from, to)} by {@code keys} into the same range, using
	 * {@code spare} arrays that hold the same elements as scratch space.
	 */
	private static void mergeSort(Path[] sparePaths, byte[][] spareKeys, Path[] paths, byte[][] keys, int from,
			int to) {
		if (to - from < SMALL) {
			insertionSort(paths, keys, from, to);
			return;
		}
		int middle = (from + to) >>> 1;
		mergeSort(paths, keys, sparePaths, spareKeys, from, middle);
		mergeSort(paths, keys, sparePaths, spareKeys, middle, to);
		int left = from;
		int right = middle;
		for (int i = from; i < to; i++) {
			if (right >= to || (left < middle && Arrays.compareUnsigned(spareKeys[left], spareKeys[right]) <= 0)) {
				paths[i] = sparePaths[left];
				keys[i] = spareKeys[left++];
			}
			else {
				paths[i] = sparePaths[right];
				keys[i] = spareKeys[right++];
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
