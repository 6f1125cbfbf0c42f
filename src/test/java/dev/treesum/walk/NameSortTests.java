package dev.treesum.walk;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Siblings in the order of their raw name bytes, unsigned: the order the walk hands
 * entries out in, for directories of every size, names of any bytes included.
 */
class NameSortTests {

	@Test
	void sortsSiblingsOfEverySizeByTheirUnsignedNameBytes() {
		Random random = new Random(7);
		for (int count : new int[] { 0, 1, 2, 3, 15, 16, 17, 31, 100, 1000, 4097 }) {
			Path[] siblings = new Path[count];
			for (int i = 0; i < count; i++) {
				byte[] name = new byte[1 + random.nextInt(12)];
				for (int j = 0; j < name.length; j++) {
					// Any byte but '/' and NUL, the high ones (Latin-1, UTF-8) included.
					name[j] = (byte) (1 + random.nextInt(255));
					if (name[j] == '/') {
						name[j] = 'x';
					}
				}
				byte[] path = new byte[5 + name.length];
				System.arraycopy("/dir/".getBytes(), 0, path, 0, 5);
				System.arraycopy(name, 0, path, 5, name.length);
				siblings[i] = PathBytes.path(path);
			}
			Path[] expected = siblings.clone();
			Arrays.sort(expected, (a, b) -> Arrays.compareUnsigned(PathBytes.raw(a), PathBytes.raw(b)));

			NameSort.sort(siblings);

			assertThat(siblings).as("%d siblings", count).containsExactly(expected);
		}
	}

}
